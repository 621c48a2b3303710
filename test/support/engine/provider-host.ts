/**
 * The provider plugin as the engine runs it: the SDK's real dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`), started like pkg/resource/plugin/plugin.go `newPlugin`
 * does (one argument, the engine address; cwd = the program's working directory, `ctx.Pwd`; the
 * port read from its first line of stdout), and its ResourceProvider gRPC service driven with the
 * generated stubs. Call order and what each call carries are the engine model's business
 * (./deployment.ts); this file is one plugin and its calls.
 *
 * The host never calls back to the engine address it is given (measured: 3.270 only reads it to
 * check it is present), so the Engine server started here only records log messages (the host
 * would need PULUMI_NODEJS_ENGINE for `pulumi.log` to reach it; under the CLI it prints to its
 * own stdout/stderr instead, which the engine turns into log messages). Both are captured.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { fromStruct, secret, toStruct, unwrapSecrets, type Props } from "./wire";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

/**
 * The plugin the CLI runs for `pulumi-nodejs` is a shell script (sdk/nodejs/dist/
 * pulumi-resource-pulumi-nodejs) that runs `node $(node -e "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')")`
 * in the plugin's working directory: the host comes from the SDK the program's folder resolves.
 */
export function hostScriptFor(cwd: string): string {
  return require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
}
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";
export const PROVIDER_KEY = "__provider";

export function urnFor(name: string, type = DYNAMIC_TYPE, project = "analytics-access", stack = "test"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

// ---------------------------------------------------------------------------------------------
// Engine service (log sink)

export interface LogRecord {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
  streamId: number;
  ephemeral: boolean;
}

const SEVERITY: Record<number, LogRecord["severity"]> = {
  [engproto.LogSeverity.DEBUG]: "debug",
  [engproto.LogSeverity.INFO]: "info",
  [engproto.LogSeverity.WARNING]: "warning",
  [engproto.LogSeverity.ERROR]: "error",
};

export interface EngineServer {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  readonly logs: LogRecord[];
  /** The URN the program registered as its root (stack) resource, if any. */
  rootResource: string;
  stop(): Promise<void>;
}

export async function startEngine(): Promise<EngineServer> {
  const server = new grpc.Server();
  const logs: LogRecord[] = [];
  const state = { rootResource: "" };
  const impl: engrpc.IEngineServer = {
    log(call, cb) {
      const r = call.request;
      logs.push({
        severity: SEVERITY[r.getSeverity()] ?? "info",
        message: r.getMessage(),
        urn: r.getUrn(),
        streamId: r.getStreamid(),
        ephemeral: r.getEphemeral(),
      });
      cb(null, new emptyproto.Empty());
    },
    getRootResource(_call, cb) {
      const resp = new engproto.GetRootResourceResponse();
      resp.setUrn(state.rootResource);
      cb(null, resp);
    },
    setRootResource(call, cb) {
      state.rootResource = call.request.getUrn();
      cb(null, new engproto.SetRootResourceResponse());
    },
    startDebugging(_call, cb) {
      cb(null, new emptyproto.Empty());
    },
    requirePulumiVersion(_call, cb) {
      cb(null, new engproto.RequirePulumiVersionResponse());
    },
  };
  server.addService(engrpc.EngineService, impl);
  const port = await bind(server);
  return {
    address: `127.0.0.1:${port}`,
    logs,
    get rootResource() {
      return state.rootResource;
    },
    set rootResource(v: string) {
      state.rootResource = v;
    },
    stop: () => shutdown(server),
  };
}

export function bind(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

export function shutdown(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, 2000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Provider host

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  /** Checked inputs (including `__provider`); what the engine passes on to Diff/Create/Update. */
  inputs: Props;
  failures: CheckFailure[];
}
export type DiffChanges = "none" | "some" | "unknown";
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
}
export interface CreateResult {
  id: string;
  properties: Props;
}
export interface ReadResult {
  /** Empty when the provider reports the resource gone. */
  id: string;
  properties: Props;
  /** Only when the provider returned inputs. */
  inputs?: Props;
}
export interface UpdateResult {
  properties: Props;
}

/** A gRPC failure from the host; `message` is what the engine would show the user. */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${method}: ${details}`);
    this.name = "HostCallError";
  }
}

export interface HostOptions {
  /** Working directory of the host (the project directory under the CLI). Default: repo root. */
  cwd?: string;
  /** Extra environment for the host process. */
  env?: Record<string, string>;
  /** Use this engine instead of starting one. */
  engine?: EngineServer;
  /**
   * gRPC deadline per call, ms. Default none, as the engine's: pkg/resource/plugin/provider_plugin.go
   * sends Create, Update, Read… on `p.requestContext()`, which has no deadline (a resource's
   * customTimeouts travel in the request's `timeout` field for the provider to honour).
   */
  deadlineMs?: number;
}

export interface ConfigureOptions {
  /** Keys whose values are sent wrapped as secrets (as the engine does for secret config). */
  secretKeys?: string[];
}

export class ProviderHost {
  private stdoutText = "";
  private stderrText = "";
  private acceptSecrets = false;
  private exited: { code: number | null; signal: string | null } | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    readonly engine: EngineServer,
    private readonly ownsEngine: boolean,
    readonly port: number,
    private readonly deadlineMs: number,
    initialStdout: string,
    initialStderr: string,
  ) {
    this.stdoutText = initialStdout;
    this.stderrText = initialStderr;
    child.stdout!.on("data", (d: Buffer) => (this.stdoutText += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (this.stderrText += d.toString()));
    child.on("exit", (code, signal) => (this.exited = { code, signal }));
  }

  static async start(opts: HostOptions = {}): Promise<ProviderHost> {
    const engine = opts.engine ?? (await startEngine());
    const cwd = opts.cwd ?? REPO_ROOT;
    const child = spawn(process.execPath, [hostScriptFor(cwd), engine.address], {
      cwd,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dynamic-provider host did not print a port in 15 s; stderr: ${err}`)), 15_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf("\n");
        if (nl >= 0) {
          clearTimeout(timer);
          child.stdout!.off("data", onData);
          const p = Number(out.slice(0, nl).trim());
          if (!Number.isInteger(p) || p <= 0) reject(new Error(`unexpected first line from host: ${out.slice(0, nl)}`));
          else resolve(p);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`dynamic-provider host exited (${code}) before printing its port; stderr: ${err}`));
      });
    });
    child.stderr!.removeAllListeners("data");
    child.removeAllListeners("exit");
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, engine, !opts.engine, port, opts.deadlineMs ?? 0, out.slice(out.indexOf("\n") + 1), err);
  }

  /** Everything the host printed after its port line. */
  get stdout(): string {
    return this.stdoutText;
  }
  get stderr(): string {
    return this.stderrText;
  }
  /** stdout + stderr + log messages sent to the engine: everything a user could see. */
  output(): string {
    return [this.stdoutText, this.stderrText, ...this.engine.logs.map((l) => l.message)].join("\n");
  }
  /** Wait until the captured output contains `text` (stderr may arrive after the gRPC reply). */
  async waitForOutput(text: string, timeoutMs = 3000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.output().includes(text)) {
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }
  get exitStatus() {
    return this.exited;
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    const fn = (this.client as unknown as Record<string, Function>)[method];
    const deadline = this.deadlineMs > 0 ? new Date(Date.now() + this.deadlineMs) : Infinity;
    return new Promise<Res>((resolve, reject) => {
      fn.call(this.client, req, new grpc.Metadata(), { deadline }, (err: grpc.ServiceError | null, res: Res) => {
        if (err) reject(new HostCallError(method, err.code, err.details || err.message));
        else resolve(res);
      });
    });
  }

  /** What the engine sends for CRUD calls: plain values, unless the provider accepted secrets. */
  private wire(props: Props): ReturnType<typeof toStruct> {
    return toStruct((this.acceptSecrets ? props : unwrapSecrets(props)) as Props);
  }

  async configure(config: Record<string, string>, opts: ConfigureOptions = {}): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new provproto.ConfigureRequest();
    const args: Props = {};
    for (const [k, v] of Object.entries(config)) {
      args[k] = opts.secretKeys?.includes(k) ? secret(v) : v;
      req.getVariablesMap().set(k, v);
    }
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    const resp = await this.call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", req);
    this.acceptSecrets = resp.getAcceptsecrets();
    return { acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setName(urn.split("::").pop() ?? "");
    req.setType(DYNAMIC_TYPE);
    req.setOlds(this.wire(olds));
    req.setNews(this.wire(news));
    req.setRandomseed(Buffer.alloc(32, 7));
    const resp = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", req);
    return {
      inputs: fromStruct(resp.getInputs()),
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(this.wire(olds));
    req.setNews(this.wire(news));
    if (oldInputs) req.setOldInputs(this.wire(oldInputs));
    const resp = await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
    const c = resp.getChanges();
    const D = provproto.DiffResponse.DiffChanges;
    return {
      changes: c === D.DIFF_SOME ? "some" : c === D.DIFF_NONE ? "none" : "unknown",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  /** Note: the host ignores `preview` and really creates; the engine never sends Create on preview (supportsPreview=false). */
  async create(urn: string, props: Props, opts: { preview?: boolean } = {}): Promise<CreateResult> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(this.wire(props));
    req.setPreview(Boolean(opts.preview));
    const resp = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
    return { id: resp.getId(), properties: fromStruct(resp.getProperties()) };
  }

  async read(id: string, urn: string, props: Props, inputs: Props): Promise<ReadResult> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(this.wire(props));
    req.setInputs(this.wire(inputs));
    const resp = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
    const result: ReadResult = { id: resp.getId(), properties: fromStruct(resp.getProperties()) };
    if (resp.getInputs()) result.inputs = fromStruct(resp.getInputs());
    return result;
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<UpdateResult> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(this.wire(olds));
    req.setNews(this.wire(news));
    if (oldInputs) req.setOldInputs(this.wire(oldInputs));
    const resp = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
    return { properties: fromStruct(resp.getProperties()) };
  }

  async delete(id: string, urn: string, props: Props, oldInputs?: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(this.wire(props));
    if (oldInputs) req.setOldInputs(this.wire(oldInputs));
    await this.call<provproto.DeleteRequest, emptyproto.Empty>("delete", req);
  }

  /** What a killed CLI does to its plugins: SIGKILL, no goodbye. */
  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
    this.client.close();
  }

  async stop(): Promise<void> {
    this.client.close();
    if (!this.exited) {
      const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
      this.child.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (!this.exited) this.child.kill("SIGKILL");
    }
    if (this.ownsEngine) await this.engine.stop();
  }
}

/** Start a host, run `fn`, always stop the host. */
export async function withHost<T>(fn: (host: ProviderHost) => Promise<T>, opts?: HostOptions): Promise<T> {
  const host = await ProviderHost.start(opts);
  try {
    return await fn(host);
  } finally {
    await host.stop();
  }
}

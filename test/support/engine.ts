/**
 * Engine-protocol harness: starts the SDK's real dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) exactly as the Pulumi engine does (one argument, the
 * engine address; cwd = the project directory; port read from stdout) and drives its
 * ResourceProvider gRPC service with the generated stubs. On top of the single calls it offers the
 * engine's call sequences (preview / up / refresh / destroy) as ARCHITECTURE.md describes them.
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
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const HOST_SCRIPT = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [REPO_ROOT] });
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";
export const PROVIDER_KEY = "__provider";

/** The engine's marker for secret values on the wire (`rpc.specialSigKey` / `specialSecretSig`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's marker for unknown values during preview (`rpc.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

/** Wrap a value the way the engine marks a secret on the wire. */
export function secret(value: unknown): Props {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** Replace secret markers by their plain values (what the engine does for a provider with acceptSecrets=false). */
export function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    const o = v as Props;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

export function urnFor(name: string, type = DYNAMIC_TYPE, project = "analytics-access", stack = "test"): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

function toStruct(props: Props): structproto.Struct {
  // Struct.fromJavaScript rejects `undefined`; the engine drops such keys too.
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(props ?? {})));
}

function fromStruct(s: structproto.Struct | undefined): Props {
  return (s?.toJavaScript() as Props | undefined) ?? {};
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
  /** gRPC deadline per call, ms. Default 20 s. */
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
    const child = spawn(process.execPath, [HOST_SCRIPT, engine.address], {
      cwd: opts.cwd ?? REPO_ROOT,
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
    return new ProviderHost(child, client, engine, !opts.engine, port, opts.deadlineMs ?? 20_000, out.slice(out.indexOf("\n") + 1), err);
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
    const deadline = new Date(Date.now() + this.deadlineMs);
    return new Promise<Res>((resolve, reject) => {
      fn.call(this.client, req, new grpc.Metadata(), { deadline }, (err: grpc.ServiceError | null, res: Res) => {
        if (err) reject(new HostCallError(method, err.code, err.details || err.message));
        else resolve(res);
      });
    });
  }

  /** What the engine sends for CRUD calls: plain values, unless the provider accepted secrets. */
  private wire(props: Props): structproto.Struct {
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

  // -------------------------------------------------------------------------------------------
  // Engine sequences

  /**
   * `pulumi preview`: Check for every resource; Diff for those with prior state. Never Create,
   * Update or Delete (the host answers supportsPreview=false).
   */
  async preview(desired: Desired[], prior: ResourceState[] = []): Promise<PlanStep[]> {
    const priorByUrn = new Map(prior.map((s) => [s.urn, s]));
    const steps = await Promise.all(
      desired.map(async (d): Promise<PlanStep> => {
        const old = priorByUrn.get(d.urn);
        const checked = await this.checkStep(d, old);
        if (checked.failures.length > 0) return { urn: d.urn, op: "failed", failures: checked.failures };
        if (!old) return { urn: d.urn, op: "create", inputs: checked.inputs };
        const diff = await this.diff(old.id, d.urn, old.outputs, checked.inputs, old.inputs);
        return { urn: d.urn, op: opFromDiff(diff, old.inputs, checked.inputs), inputs: checked.inputs, diff };
      }),
    );
    const wanted = new Set(desired.map((d) => d.urn));
    for (const s of prior) if (!wanted.has(s.urn)) steps.push({ urn: s.urn, op: "delete" });
    return steps;
  }

  /**
   * `pulumi up`: new resources Check→Create; existing Check→Diff→(nothing | Update | replace:
   * Create then Delete, or Delete then Create with deleteBeforeReplace); resources no longer
   * desired are deleted. Failures are recorded per step (op "failed"), like the engine reports them.
   * `parallel` runs the desired resources' steps concurrently, as the engine does for resources
   * that do not depend on each other.
   */
  async up(desired: Desired[], prior: ResourceState[] = [], opts: { parallel?: boolean } = {}): Promise<UpResult> {
    const priorByUrn = new Map(prior.map((s) => [s.urn, s]));
    const states = new Map<string, ResourceState>(prior.map((s) => [s.urn, s]));
    const steps: PlanStep[] = [];
    const step = async (d: Desired): Promise<void> => {
      const old = priorByUrn.get(d.urn);
      try {
        const checked = await this.checkStep(d, old);
        if (checked.failures.length > 0) {
          steps.push({ urn: d.urn, op: "failed", failures: checked.failures });
          return;
        }
        const inputs = checked.inputs;
        if (!old) {
          const created = await this.create(d.urn, inputs);
          const state = { urn: d.urn, id: created.id, inputs, outputs: created.properties };
          states.set(d.urn, state);
          steps.push({ urn: d.urn, op: "create", inputs, state });
          return;
        }
        const diff = await this.diff(old.id, d.urn, old.outputs, inputs, old.inputs);
        const op = opFromDiff(diff, old.inputs, inputs);
        if (op === "same") {
          steps.push({ urn: d.urn, op, inputs, diff, state: old });
        } else if (op === "update") {
          const updated = await this.update(old.id, d.urn, old.outputs, inputs, old.inputs);
          const state = { urn: d.urn, id: old.id, inputs, outputs: updated.properties };
          states.set(d.urn, state);
          steps.push({ urn: d.urn, op, inputs, diff, state });
        } else {
          if (diff.deleteBeforeReplace) await this.delete(old.id, d.urn, old.outputs, old.inputs);
          const created = await this.create(d.urn, inputs);
          if (!diff.deleteBeforeReplace) await this.delete(old.id, d.urn, old.outputs, old.inputs);
          const state = { urn: d.urn, id: created.id, inputs, outputs: created.properties };
          states.set(d.urn, state);
          steps.push({ urn: d.urn, op: "replace", inputs, diff, state });
        }
      } catch (e) {
        steps.push({ urn: d.urn, op: "failed", error: e instanceof Error ? e.message : String(e) });
      }
    };
    // The engine runs independent steps concurrently (no dependsOn between these resources).
    if (opts.parallel) await Promise.all(desired.map(step));
    else for (const d of desired) await step(d);
    const position = new Map(desired.map((d, i) => [d.urn, i]));
    steps.sort((a, b) => (position.get(a.urn) ?? 0) - (position.get(b.urn) ?? 0));
    const wanted = new Set(desired.map((d) => d.urn));
    for (const s of [...prior].reverse()) {
      if (wanted.has(s.urn)) continue;
      try {
        await this.delete(s.id, s.urn, s.outputs, s.inputs);
        states.delete(s.urn);
        steps.push({ urn: s.urn, op: "delete" });
      } catch (e) {
        steps.push({ urn: s.urn, op: "failed", error: e instanceof Error ? e.message : String(e) });
      }
    }
    const order = [...desired.map((d) => d.urn), ...prior.map((s) => s.urn)];
    const out = [...new Set(order)].map((u) => states.get(u)).filter((s): s is ResourceState => Boolean(s));
    return { ok: steps.every((s) => s.op !== "failed"), steps, states: out };
  }

  /** `pulumi refresh`: Read with the old outputs and inputs; an empty id means the resource is gone. */
  async refresh(prior: ResourceState[]): Promise<UpResult> {
    const steps: PlanStep[] = [];
    const states: ResourceState[] = [];
    for (const s of prior) {
      try {
        const r = await this.read(s.id, s.urn, s.outputs, s.inputs);
        if (!r.id) {
          steps.push({ urn: s.urn, op: "delete" });
          continue;
        }
        const state = { urn: s.urn, id: r.id, inputs: r.inputs ?? s.inputs, outputs: r.properties };
        states.push(state);
        steps.push({ urn: s.urn, op: "refresh", state });
      } catch (e) {
        states.push(s);
        steps.push({ urn: s.urn, op: "failed", error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { ok: steps.every((s) => s.op !== "failed"), steps, states };
  }

  /** `pulumi destroy`: Delete in reverse order, with the code stored in state. */
  async destroy(prior: ResourceState[]): Promise<UpResult> {
    const steps: PlanStep[] = [];
    const states: ResourceState[] = [];
    for (const s of [...prior].reverse()) {
      try {
        await this.delete(s.id, s.urn, s.outputs, s.inputs);
        steps.push({ urn: s.urn, op: "delete" });
      } catch (e) {
        states.unshift(s);
        steps.push({ urn: s.urn, op: "failed", error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { ok: steps.every((s) => s.op !== "failed"), steps, states };
  }

  /** Check as the engine calls it: olds are the prior *inputs* ({} for a new resource). */
  private checkStep(d: Desired, old: ResourceState | undefined): Promise<CheckResult> {
    return this.check(d.urn, old?.inputs ?? {}, d.inputs);
  }
}

/** A resource as the program declares it: `inputs` must include the serialized `__provider`. */
export interface Desired {
  urn: string;
  inputs: Props;
}
/** A resource as the state file holds it. */
export interface ResourceState {
  urn: string;
  id: string;
  /** Checked inputs (with `__provider`). */
  inputs: Props;
  /** Outputs (with `__provider`). */
  outputs: Props;
}
export type StepOp = "create" | "update" | "replace" | "same" | "delete" | "refresh" | "failed";
export interface PlanStep {
  urn: string;
  op: StepOp;
  inputs?: Props;
  diff?: DiffResult;
  failures?: CheckFailure[];
  /** Error message of a failed Create/Update/Delete/Read/Check call. */
  error?: string;
  state?: ResourceState;
}
export interface UpResult {
  ok: boolean;
  steps: PlanStep[];
  states: ResourceState[];
}

/**
 * What the engine makes of a DiffResponse: replaces → replace; DIFF_SOME → update; DIFF_NONE →
 * same; DIFF_UNKNOWN (no `diff` method) → the engine compares old and new inputs itself,
 * `__provider` included.
 */
export function opFromDiff(diff: DiffResult, oldInputs: Props, newInputs: Props): StepOp {
  if (diff.replaces.length > 0) return "replace";
  if (diff.changes === "some") return "update";
  if (diff.changes === "none") return "same";
  return JSON.stringify(sortKeys(oldInputs)) === JSON.stringify(sortKeys(newInputs)) ? "same" : "update";
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as Props)
        .sort()
        .map((k) => [k, sortKeys((v as Props)[k])]),
    );
  }
  return v;
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

/**
 * `cmd/run` harness: runs a real Pulumi program with the SDK's own entry point
 * (`@pulumi/pulumi/cmd/run`, the thing the nodejs language host runs under the CLI) against an
 * in-test ResourceMonitor gRPC server plus the Engine server from ./engine (log sink, root
 * resource). Dynamic resources (`pulumi-nodejs:dynamic...`) are forwarded to the real
 * dynamic-provider host with the engine's sequence for a fresh stack: Check then Create (only
 * Check under dry-run, like `pulumi preview`). Components are recorded. Registered resources and
 * stack outputs are returned.
 *
 * Not supported (answered UNIMPLEMENTED): invokes, reads (`get`), stack transforms, hooks,
 * non-dynamic custom resources. Every run is a fresh stack (no prior state).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import {
  PROVIDER_KEY,
  ProviderHost,
  REPO_ROOT,
  SECRET_SIG,
  SECRET_SIG_KEY,
  UNKNOWN,
  bind,
  secret,
  shutdown,
  startEngine,
  unwrapSecrets,
  type CheckFailure,
  type EngineServer,
  type LogRecord,
  type Props,
} from "./engine";

export const RUN_SCRIPT = require.resolve("@pulumi/pulumi/cmd/run/index.js", { paths: [REPO_ROOT] });
export const STACK_TYPE = "pulumi:pulumi:Stack";

export interface ProgramOptions {
  /** The program: a JS file (or a directory with package.json `main`). Plain JS: cmd/run has no TS loader here. */
  program: string;
  /** Working directory (the project directory). Default: repo root. Also the host's cwd. */
  pwd?: string;
  project?: string;
  stack?: string;
  /** Stack configuration, full `ns:key` names. Given to the program (PULUMI_CONFIG) and to the host's Configure. */
  config?: Record<string, string>;
  /** Config keys that are secret (PULUMI_CONFIG_SECRET_KEYS; sent wrapped to Configure). */
  secretKeys?: string[];
  /** `pulumi preview`: Check only, outputs unknown. */
  dryRun?: boolean;
  /** Kill the program after this many ms. Default 30 s. */
  timeoutMs?: number;
}

export interface RegisteredResource {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  /** "" for components and during preview. */
  id: string;
  /** Inputs as the program sent them (secrets unwrapped, `__provider` included for dynamic resources). */
  inputs: Props;
  /** Checked inputs (dynamic resources). */
  checkedInputs?: Props;
  /** Outputs: Create result for dynamic resources; registerOutputs for components and the stack. */
  outputs: Props;
  /** Size of the serialized `__provider` as stored in state (dynamic resources). */
  providerBytes?: number;
  /** Top-level input keys the program marked secret. */
  secretInputs: string[];
  failures?: CheckFailure[];
  error?: string;
}

export interface ProgramRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Log messages the program (and the SDK) sent to the engine. */
  logs: LogRecord[];
  resources: RegisteredResource[];
  /** The stack's outputs (plain values; see `secretOutputs`). */
  stackOutputs: Props;
  /** Stack output names whose values were secret. */
  secretOutputs: string[];
  /** Everything the provider host printed (stdout+stderr). */
  hostOutput: string;
  /** stdout + stderr + logs of the program, plus host output: everything a user could see. */
  allOutput(): string;
}

function fromStruct(s: structproto.Struct | undefined): Props {
  return (s?.toJavaScript() as Props | undefined) ?? {};
}
function toStruct(p: Props): structproto.Struct {
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(p ?? {})));
}
function isSecret(v: unknown): boolean {
  return Boolean(v && typeof v === "object" && (v as Props)[SECRET_SIG_KEY] === SECRET_SIG);
}

class MockMonitor {
  readonly resources: RegisteredResource[] = [];
  private readonly byUrn = new Map<string, RegisteredResource>();
  private hostPromise: Promise<ProviderHost> | undefined;

  constructor(
    private readonly opts: Required<Pick<ProgramOptions, "project" | "stack" | "pwd" | "dryRun">> & ProgramOptions,
    private readonly engine: EngineServer,
  ) {}

  /** The dynamic-provider host, started and configured on first use (as the engine does). */
  host(): Promise<ProviderHost> {
    this.hostPromise ??= (async () => {
      const h = await ProviderHost.start({ cwd: this.opts.pwd, engine: this.engine });
      await h.configure(this.opts.config ?? {}, { secretKeys: this.opts.secretKeys });
      return h;
    })();
    return this.hostPromise;
  }
  async stopHost(): Promise<string> {
    if (!this.hostPromise) return "";
    const h = await this.hostPromise.catch(() => undefined);
    if (!h) return "";
    await h.stop();
    return [h.stdout, h.stderr].join("\n");
  }

  private urnFor(type: string, name: string, parent: string): string {
    let qualified = type;
    const p = parent ? this.byUrn.get(parent) : undefined;
    if (p && p.type !== STACK_TYPE) {
      const parentQualified = parent.split("::")[2] ?? p.type;
      qualified = `${parentQualified}$${type}`;
    }
    return `urn:pulumi:${this.opts.stack}::${this.opts.project}::${qualified}::${name}`;
  }

  impl(): resrpc.IResourceMonitorServer {
    const unimplemented = (what: string) => (_call: unknown, cb: grpc.sendUnaryData<never>) =>
      cb({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by the test monitor` } as grpc.ServiceError, null);
    return {
      getDeploymentInfo: (_call, cb) => {
        const resp = new resproto.DeploymentInfo();
        const F = resproto.ResourceMonitorFeature;
        resp.setSupportedfeaturesList([F.RESOURCE_MONITOR_FEATURE_SECRETS, F.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS, F.RESOURCE_MONITOR_FEATURE_DELETED_WITH]);
        cb(null, resp);
      },
      supportsFeature: (call, cb) => {
        const resp = new resproto.SupportsFeatureResponse();
        resp.setHassupport(["secrets", "aliasSpecs", "deletedWith"].includes(call.request.getId()));
        cb(null, resp);
      },
      invoke: unimplemented("Invoke"),
      call: unimplemented("Call"),
      readResource: unimplemented("ReadResource"),
      existsResource: unimplemented("ExistsResource"),
      registerResource: (call, cb) => {
        this.register(call.request).then(
          (resp) => cb(null, resp),
          (e: Error) => cb({ code: grpc.status.UNKNOWN, details: e.message } as grpc.ServiceError, null),
        );
      },
      registerResourceOutputs: (call, cb) => {
        const r = this.byUrn.get(call.request.getUrn());
        if (r) r.outputs = fromStruct(call.request.getOutputs());
        cb(null, new emptyproto.Empty());
      },
      registerStackTransform: unimplemented("RegisterStackTransform"),
      registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
      registerResourceHook: unimplemented("RegisterResourceHook"),
      registerErrorHook: unimplemented("RegisterErrorHook"),
      registerPackage: (_call, cb) => {
        const resp = new resproto.RegisterPackageResponse();
        resp.setRef("test-package-ref");
        cb(null, resp);
      },
      signalAndWaitForShutdown: (_call, cb) => cb(null, new emptyproto.Empty()),
    };
  }

  private async register(req: resproto.RegisterResourceRequest): Promise<resproto.RegisterResourceResponse> {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const urn = this.urnFor(type, name, parent);
    const raw = fromStruct(req.getObject());
    const secretInputs = Object.keys(raw).filter((k) => isSecret(raw[k]));
    const inputs = unwrapSecrets(raw) as Props;
    const rec: RegisteredResource = { urn, type, name, parent, custom: req.getCustom(), id: "", inputs, outputs: {}, secretInputs };
    this.resources.push(rec);
    this.byUrn.set(urn, rec);
    const resp = new resproto.RegisterResourceResponse();
    resp.setUrn(urn);

    if (!rec.custom) {
      resp.setObject(toStruct({}));
      return resp;
    }
    if (!type.startsWith("pulumi-nodejs:dynamic")) {
      throw new Error(`test monitor: only dynamic custom resources are supported, got ${type}`);
    }
    const provider = inputs[PROVIDER_KEY];
    rec.providerBytes = typeof provider === "string" ? Buffer.byteLength(provider) : undefined;
    const host = await this.host();
    // Engine order for a new resource: Check (olds = {}) then Create (not under preview).
    const checked = await host.check(urn, {}, inputs);
    rec.checkedInputs = checked.inputs;
    if (checked.failures.length > 0) {
      rec.failures = checked.failures;
      const msg = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      rec.error = `${urn}: check failed: ${msg}`;
      throw new Error(rec.error);
    }
    let outputs: Props;
    if (this.opts.dryRun) {
      outputs = checked.inputs;
    } else {
      try {
        const created = await host.create(urn, checked.inputs);
        rec.id = created.id;
        outputs = created.properties;
      } catch (e) {
        rec.error = e instanceof Error ? e.message : String(e);
        throw e;
      }
    }
    rec.outputs = outputs;
    // The engine re-marks outputs secret when their input was secret (the host itself sees plain values).
    const wire: Props = {};
    for (const [k, v] of Object.entries(outputs)) {
      wire[k] = secretInputs.includes(k) && req.getAcceptsecrets() ? secret(v) : v;
    }
    resp.setId(this.opts.dryRun ? "" : rec.id);
    resp.setObject(toStruct(wire));
    return resp;
  }
}

/** Run `opts.program` with `@pulumi/pulumi/cmd/run` against the mock monitor. */
export async function runProgram(options: ProgramOptions): Promise<ProgramRun> {
  const opts = {
    project: "analytics-access",
    stack: "test",
    pwd: REPO_ROOT,
    dryRun: false,
    ...options,
  };
  const engine = await startEngine();
  const monitor = new MockMonitor(opts, engine);
  const server = new grpc.Server();
  server.addService(resrpc.ResourceMonitorService, monitor.impl());
  const port = await bind(server);

  const args = [
    RUN_SCRIPT,
    `--monitor=127.0.0.1:${port}`,
    `--engine=${engine.address}`,
    `--project=${opts.project}`,
    `--stack=${opts.stack}`,
    `--root-directory=${opts.pwd}`,
    `--pwd=${opts.pwd}`,
    ...(opts.dryRun ? ["--dry-run"] : []),
    path.resolve(opts.pwd, opts.program),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(opts.config ?? {}),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(opts.secretKeys ?? []),
  };
  let stdout = "";
  let stderr = "";
  let exitCode: number | null;
  try {
    exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: opts.pwd, env, stdio: ["ignore", "pipe", "pipe"] });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`program did not finish in ${opts.timeoutMs ?? 30_000} ms; stderr: ${stderr}`));
      }, opts.timeoutMs ?? 30_000);
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  } finally {
    await shutdown(server);
  }
  const hostOutput = await monitor.stopHost();
  await engine.stop();

  const stack = monitor.resources.find((r) => r.type === STACK_TYPE);
  const rawOutputs = stack?.outputs ?? {};
  const logs = engine.logs;
  return {
    exitCode,
    stdout,
    stderr,
    logs,
    resources: monitor.resources,
    stackOutputs: unwrapSecrets(rawOutputs) as Props,
    secretOutputs: Object.keys(rawOutputs).filter((k) => isSecret(rawOutputs[k])),
    hostOutput,
    allOutput: () => [stdout, stderr, ...logs.map((l) => l.message), hostOutput].join("\n"),
  };
}

export { UNKNOWN };

/**
 * A model of Pulumi's deployment engine, written from its source (github.com/pulumi/pulumi,
 * pkg/resource/deploy; read at v3.259) and run against the real SDK: the program runs under the
 * SDK's `cmd/run` exactly as the nodejs language host starts it, registers its resources with the
 * model's resource monitor, and the model drives the SDK's real dynamic-provider host.
 *
 * What it reproduces, and where the engine does it:
 * - Registrations are handled one at a time, in the order they arrive (deployment_executor.go
 *   `Execute`, `handleSingleEvent`). For each, the step generator (step_generator.go
 *   `continueStepsFromImport`, `generateStepsFromDiff`) applies ignoreChanges to the new inputs,
 *   calls Check (with the old inputs as olds, none for a new or replaced resource), then Diff for
 *   an existing resource, synchronously: no two Checks or Diffs ever overlap, and they interleave
 *   with the writes of earlier resources (parallel diff is an opt-in experiment, off by default).
 * - A Check failure is reported per property and bails the deployment (`issueCheckErrors`,
 *   "resource ... is invalid"): preview and up stop at the first invalid resource.
 * - Steps run in a pool of `parallel` workers (step_executor.go `newStepExecutor`; the CLI's
 *   default is 4 × CPUs, operations/up.go `defaultParallel`, PULUMI_PARALLEL overrides). Handing
 *   a chain to the pool blocks the step generator until a worker is free (`ExecuteSerial` sends on
 *   an unbuffered channel).
 * - The first failed step cancels the run: nothing new starts, steps in flight finish
 *   (`cancelDueToError`); with continueOnError the failure is recorded and steps that depend on
 *   it are skipped (`doesStepDependOn`).
 * - Diff: DIFF_UNKNOWN makes the engine diff old inputs against new ones itself, with
 *   ignoreChanges, which is the only way changed keys reach it from a dynamic provider (the SDK
 *   host never sets `diffs`); replaceOnChanges turns changed keys into replace keys
 *   (`diffResource`, `applyReplaceOnChanges`). Replace: Check again without olds, then
 *   create-before-delete (the old one deleted after the program finishes) or delete-before-replace.
 * - Preview (`--dry-run`): unknowns allowed in Check and Diff; Create and Update are not sent to a
 *   provider that does not support preview, and the checked inputs stand in as outputs
 *   (plugin/provider_plugin.go `Create`, `Update`).
 * - Deletes of resources the program no longer declares run after the program finishes, in
 *   dependency order, each antichain in parallel (`performPostSteps`, `ScheduleDeletes`).
 * - Refresh (step.go `RefreshStep.Apply`): Read with the old inputs and outputs; an empty id drops
 *   the resource; inputs the provider returns replace the stored ones; then Diff(refreshed inputs
 *   and outputs as olds, stored inputs as news), inverted, is the drift shown. All refreshes run in
 *   parallel and errors do not cancel the others (`refresh`, ignoreErrors).
 * - The default provider (pulumi:providers:pulumi-nodejs) receives the whole stack configuration,
 *   namespaced, secrets marked (target.go `GetPackageConfig`), and is recorded in state with it
 *   as its inputs. refresh and destroy configure it from state, since they do not run the program.
 * - The journal (./state.ts) and pending operations, with the warning the engine prints on `up`
 *   (deployment_executor.go `printPendingOperationsWarning`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { applyReplaceOnChanges, inputDiff, processIgnoreChanges, type EngineDiff } from "./diff";
import { loadProject, pwdMain, stackConfig, type ConfigValue, type Project } from "./project";
import { HostCallError, PROVIDER_KEY, ProviderHost, bind, shutdown, startEngine, type CheckFailure, type EngineServer, type LogRecord } from "./provider-host";
import { SecretsProvider, StateFile, annotateSecrets, type OperationType, type PendingOperation, type ResourceState, type Snapshot } from "./state";
import { containsUnknowns, fromStruct, isSecret, secret, toStruct, unwrapSecrets, type Props } from "./wire";

export const STACK_TYPE = "pulumi:pulumi:Stack";
export const DEFAULT_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

/** The CLI's default degree of parallelism: 4 × CPUs, or PULUMI_PARALLEL. */
export function defaultParallel(env: NodeJS.ProcessEnv = process.env): number {
  const p = Number(env.PULUMI_PARALLEL);
  return Number.isInteger(p) && p > 0 ? p : 4 * os.availableParallelism();
}

export type StepOp = "create" | "update" | "same" | "replace" | "create-replacement" | "delete-replaced" | "delete" | "refresh" | "skipped";
/** How the CLI names a step in progress (display/progress.go). */
const DOING: Record<StepOp, string> = {
  create: "creating", update: "updating", same: "same", replace: "replacing", "create-replacement": "creating replacement",
  "delete-replaced": "deleting original", delete: "deleting", refresh: "refreshing", skipped: "skipped",
};

export interface StepRecord {
  urn: string;
  op: StepOp;
  /** Provider-visible type (dynamic resources: pulumi-nodejs:dynamic:Resource). */
  type: string;
  diff?: EngineDiff;
  /** refresh: what changed outside Pulumi, as the engine shows it (the inverted diff). */
  drift?: EngineDiff;
  /** create, update, same, replacement: the new inputs as Check returned them, secrets marked (`pulumi preview --json`: a step's newState.inputs). */
  inputs?: Props;
  error?: string;
  /** refresh: the resource is gone. */
  gone?: boolean;
}

export interface Diagnostic {
  severity: "error" | "warning" | "info";
  urn: string;
  message: string;
}

/** One call to the provider, for ordering assertions. */
export interface CallRecord {
  method: "configure" | "check" | "diff" | "create" | "update" | "delete" | "read";
  urn: string;
  start: number;
  end: number;
  ok: boolean;
  /** check: the news it was sent, as the engine sent them (unknowns as the sentinel). */
  news?: Props;
}

export type EngineEvent =
  | { kind: "journal"; op: OperationType | "done"; urn: string }
  | { kind: "call"; phase: "start" | "end"; method: CallRecord["method"]; urn: string };

export interface RunOptions {
  /** --parallel; default 4 × CPUs. */
  parallel?: number;
  /** --continue-on-error. */
  continueOnError?: boolean;
  /** up --refresh. */
  refresh?: boolean;
  /** refresh --clear-pending-creates. */
  clearPendingCreates?: boolean;
  /** Kill the program after this long. Default 120 s. */
  timeoutMs?: number;
  /** Sees every journal entry and provider call as it happens; `kill()` stops the CLI dead there. */
  onEvent?: (e: EngineEvent, control: { kill(): void }) => void;
}

export interface RunResult {
  ok: boolean;
  /** Killed through `onEvent`: nothing after that point was written. */
  killed: boolean;
  steps: StepRecord[];
  diagnostics: Diagnostic[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Messages the program sent to the engine (pulumi.log). */
  logs: LogRecord[];
  hostOutput: string;
  /** Stack outputs, plain values. */
  outputs: Props;
  calls: CallRecord[];
  /** Everything a user could see. */
  text(): string;
}

export interface StackOptions {
  /** The project folder (holds Pulumi.yaml). */
  dir: string;
  stack: string;
  /** Plain configuration, full `ns:key` names; added to Pulumi.<stack>.yaml's. */
  config?: Record<string, string>;
  /** Configuration set with --secret. */
  secrets?: Record<string, string>;
  /** Where the state lives. Default: a file under the OS temp folder. */
  stateFile?: string;
  /** The environment the CLI runs in (program and plugins inherit it). */
  env?: Record<string, string>;
}

/** pulumirpc.Result SKIP (2) in the engine's proto; the 3.270 SDK's generated enum has only SUCCESS and FAIL, and treats every other value as not successful. */
const RESULT_SKIP = 2 as resproto.Result;

const UNAVAILABLE = (what: string) => ({ code: grpc.status.UNAVAILABLE, details: `resource monitor shut down while ${what}` }) as grpc.ServiceError;

/** A stack: a project, its configuration and its state, and the operations a user runs on it. */
export class Stack {
  readonly project: Project;
  readonly stateFile: StateFile;
  private config: Record<string, ConfigValue>;

  constructor(readonly opts: StackOptions) {
    this.project = loadProject(opts.dir);
    this.config = stackConfig(this.project, opts.stack, opts.secrets);
    for (const [k, v] of Object.entries(opts.config ?? {})) this.config[k] = { value: v, secret: false };
    const file = opts.stateFile ?? path.join(os.tmpdir(), `aa-engine-${randomUUID()}`, `${opts.stack}.json`);
    this.stateFile = new StateFile(file, new SecretsProvider(`passphrase for ${opts.stack}`));
  }

  /** `pulumi config set [--secret] key value`. */
  setConfig(key: string, value: string, opts: { secret?: boolean } = {}): void {
    this.config[key] = { value, secret: Boolean(opts.secret) };
  }

  state(): Snapshot {
    return this.stateFile.load();
  }

  /** Resources of the state that the program declared (no stack, no providers). */
  resources(): ResourceState[] {
    return this.state().resources.filter((r) => r.type !== STACK_TYPE && r.type !== DEFAULT_PROVIDER_TYPE);
  }

  preview(opts: RunOptions = {}): Promise<RunResult> {
    return new Deployment(this, "preview", opts).run();
  }
  up(opts: RunOptions = {}): Promise<RunResult> {
    return new Deployment(this, "up", opts).run();
  }
  refresh(opts: RunOptions = {}): Promise<RunResult> {
    return new Deployment(this, "refresh", opts).run();
  }
  destroy(opts: RunOptions = {}): Promise<RunResult> {
    return new Deployment(this, "destroy", opts).run();
  }

  /** The package configuration the default provider receives (GetPackageConfig for pulumi-nodejs). */
  providerConfig(): Props {
    return Object.fromEntries(Object.entries(this.config).map(([k, v]) => [k, v.secret ? secret(v.value) : v.value]));
  }
  configEnv(): Record<string, string> {
    const plain = Object.fromEntries(Object.entries(this.config).map(([k, v]) => [k.replace(":", ":config:"), v.value]));
    const secretKeys = Object.entries(this.config).filter(([, v]) => v.secret).map(([k]) => k);
    return { PULUMI_CONFIG: JSON.stringify(plain), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) };
  }
}

/** A chain of steps for one registration, and the registration waiting for its result. */
interface Registration {
  req: resproto.RegisterResourceRequest;
  urn: string;
  resolve(resp: resproto.RegisterResourceResponse): void;
  reject(err: grpc.ServiceError): void;
}

/** A step: what it records, what it does, and whether its end answers the registration. */
type Step = { record: StepRecord; run: () => Promise<void>; registers?: boolean };

/** One CLI command against a stack. */
class Deployment {
  private readonly dryRun: boolean;
  private readonly parallel: number;
  private snapshot: Snapshot;
  private readonly baseByUrn: Map<string, ResourceState>;
  /** New states, in the order their steps completed (the snapshot manager's `resources`). */
  private readonly news: ResourceState[] = [];
  private readonly done = new Set<ResourceState>();
  private readonly pending: PendingOperation[] = [];
  private readonly registered = new Map<string, ResourceState>();
  private readonly steps: StepRecord[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly calls: CallRecord[] = [];
  private readonly errored = new Set<string>();
  private readonly toDeleteAfter: ResourceState[] = [];
  private cancelled = false;
  private killed = false;
  private failed = false;
  private host?: ProviderHost;
  private hostReady?: Promise<ProviderHost>;
  private providerRef = "";
  private engine?: EngineServer;
  private program?: ChildProcess;
  private readonly queue: (Registration | { outputs: resproto.RegisterResourceOutputsRequest; ack: () => void })[] = [];
  private wake?: () => void;
  private programDone = false;
  private active = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private stackOutputs: Props = {};
  private readonly stackPwd: string;

  constructor(
    private readonly stack: Stack,
    private readonly kind: "preview" | "up" | "refresh" | "destroy",
    private readonly opts: RunOptions,
  ) {
    this.dryRun = kind === "preview";
    this.parallel = opts.parallel ?? defaultParallel({ ...process.env, ...stack.opts.env });
    this.snapshot = stack.state();
    this.baseByUrn = new Map(this.snapshot.resources.map((r) => [r.urn, r]));
    this.stackPwd = pwdMain(stack.project).pwd;
  }

  async run(): Promise<RunResult> {
    let program = { stdout: "", stderr: "", exitCode: 0 as number | null };
    const engine = (this.engine = await startEngine());
    let hostOutput = "";
    try {
      if (this.kind === "up" && this.snapshot.pendingOperations.length > 0) this.warnPendingOperations();
      if (this.kind === "refresh" || this.kind === "destroy") {
        await this.withoutProgram();
      } else {
        if (this.opts.refresh) await this.refreshAll();
        if (!this.cancelled) program = await this.runProgram();
      }
    } catch (e) {
      this.error("", e instanceof Error ? e.message : String(e));
    } finally {
      hostOutput = this.host ? [this.host.stdout, this.host.stderr].join("\n") : "";
      if (!this.killed) await this.host?.stop();
      await engine.stop();
    }
    if (!this.killed && !this.dryRun) this.persist();
    if (program.exitCode !== 0 && !this.killed) this.failed = true;
    if (this.failed && !this.killed) this.error("", `${this.kind === "preview" ? "preview" : "update"} failed`);
    const { diagnostics, steps, calls } = this;
    const { stdout, stderr, exitCode } = program;
    return {
      ok: !this.failed && !this.killed,
      killed: this.killed,
      steps,
      diagnostics,
      exitCode,
      stdout,
      stderr,
      logs: engine.logs,
      hostOutput,
      outputs: unwrapSecrets(this.stackOutputs) as Props,
      calls,
      text: () => [...diagnostics.map((d) => `${d.severity}: ${d.urn ? `${d.urn}: ` : ""}${d.message}`), stdout, stderr, ...engine.logs.map((l) => `${l.severity}: ${l.message}`), hostOutput].join("\n"),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Diagnostics, journal, state

  private error(urn: string, message: string): void {
    this.diagnostics.push({ severity: "error", urn, message });
  }

  private warnPendingOperations(): void {
    const list = this.snapshot.pendingOperations.map((op) => `  * ${op.resource.urn}, interrupted while ${op.type}`).join("\n");
    this.diagnostics.push({
      severity: "warning",
      urn: "",
      message:
        `Attempting to deploy or update resources with ${this.snapshot.pendingOperations.length} pending operations from previous deployment.\n${list}\n` +
        "These resources are in an unknown state because the Pulumi CLI was interrupted while waiting for changes to these resources to complete. " +
        "Once you have confirmed the status of the interrupted operations, you can repair your stack using `pulumi refresh` which will refresh the state " +
        "from the provider you are using and clear the pending operations if there are any.\n" +
        "Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations.",
    });
  }

  private emit(e: EngineEvent): void {
    this.opts.onEvent?.(e, { kill: () => this.kill() });
  }

  /** A killed CLI: no more journal writes, plugins and program SIGKILLed, every caller released. */
  private kill(): void {
    if (this.killed) return;
    if (!this.dryRun) this.persist(); // what the CLI had written when it died: every entry so far
    this.killed = true;
    this.cancelled = true;
    this.host?.kill();
    this.program?.kill("SIGKILL");
    for (const w of this.slotWaiters.splice(0)) w();
    this.wake?.();
  }

  /** Snap(): new states, then untouched base states; pending operations, base pending creates kept. */
  private snap(): Snapshot {
    const resources = [...this.news.filter((r) => !this.done.has(r)), ...this.snapshot.resources.filter((r) => !this.done.has(r))];
    const carried = this.snapshot.pendingOperations.filter((op) => op.type === "creating");
    return { resources, pendingOperations: [...this.pending, ...carried] };
  }

  private persist(): void {
    if (this.killed) return;
    this.stack.stateFile.save(this.snap());
  }

  /**
   * One journal entry. The CLI writes the snapshot at every entry, synchronously, so what is on
   * disk is always the journal so far; the model keeps it in memory and writes it where anyone
   * can look (the end of the command, or the moment it is killed), which leaves the same file
   * without rewriting the whole state at every step of a large run.
   */
  private journal(op: OperationType | "done", urn: string, mutate: () => void): void {
    if (this.killed) return;
    mutate();
    this.emit({ kind: "journal", op, urn });
  }

  private begin(type: OperationType, resource: ResourceState): PendingOperation {
    const op = { type, resource };
    this.journal(type, resource.urn, () => this.pending.push(op));
    return op;
  }

  /** A provider write inside its journal entry: on failure the pending operation is closed, nothing recorded (Mutation.End(successful=false)). */
  private async write<T>(op: PendingOperation, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      this.end(op, () => undefined);
      throw e;
    }
  }

  private end(op: PendingOperation, mutate: () => void): void {
    this.journal("done", op.resource.urn, () => {
      this.pending.splice(this.pending.indexOf(op), 1);
      mutate();
    });
  }

  // ------------------------------------------------------------------------------------------
  // The provider

  private async call<T>(method: CallRecord["method"], urn: string, fn: (h: ProviderHost) => Promise<T>, news?: Props): Promise<T> {
    const host = await this.provider();
    if (this.killed) throw new Error("the CLI was killed");
    const rec: CallRecord = { method, urn, start: performance.now(), end: 0, ok: false, ...(news ? { news: unwrapSecrets(news) as Props } : {}) };
    this.calls.push(rec);
    this.emit({ kind: "call", phase: "start", method, urn });
    try {
      const r = await fn(host);
      rec.ok = true;
      return r;
    } finally {
      rec.end = performance.now();
      this.emit({ kind: "call", phase: "end", method, urn });
    }
  }

  /** The default provider: the host started in the program's folder and configured once. */
  private provider(): Promise<ProviderHost> {
    this.hostReady ??= (async () => {
      const host = await ProviderHost.start({ cwd: this.stackPwd, engine: this.engine, env: this.stack.opts.env });
      this.host = host;
      if (this.killed) host.kill();
      const config = this.providerInputs();
      const start = performance.now();
      const secretKeys = Object.keys(config).filter((k) => isSecret(config[k]));
      await host.configure(unwrapSecrets(config) as Record<string, string>, { secretKeys });
      this.calls.push({ method: "configure", urn: this.providerUrn(), start, end: performance.now(), ok: true });
      return host;
    })();
    return this.hostReady;
  }

  private providerUrn(): string {
    return `urn:pulumi:${this.stack.opts.stack}::${this.stack.project.name}::${DEFAULT_PROVIDER_TYPE}::default`;
  }

  /** Current config when the program runs; what state recorded when it does not (refresh, destroy). */
  private providerInputs(): Props {
    if (this.kind === "refresh" || this.kind === "destroy") {
      const recorded = this.baseByUrn.get(this.providerUrn());
      if (recorded) return recorded.inputs;
    }
    return this.stack.providerConfig();
  }

  /** Register (or keep) the default provider's state entry, as the engine does before its first resource. */
  private ensureDefaultProvider(): string {
    if (this.providerRef) return this.providerRef;
    const urn = this.providerUrn();
    const old = this.baseByUrn.get(urn);
    const inputs = this.stack.providerConfig();
    const state: ResourceState = {
      urn, type: DEFAULT_PROVIDER_TYPE, custom: true, id: old?.id ?? randomUUID(), parent: "", provider: "",
      inputs, outputs: inputs, dependencies: [], protect: false, retainOnDelete: false, ignoreChanges: [],
    };
    this.journal("done", urn, () => {
      if (old) this.done.add(old);
      this.news.push(state);
      this.registered.set(urn, state);
    });
    this.providerRef = `${urn}::${state.id}`;
    return this.providerRef;
  }

  // ------------------------------------------------------------------------------------------
  // The program and the resource monitor

  private async runProgram(): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
    const server = new grpc.Server();
    server.addService(resrpc.ResourceMonitorService, this.monitor());
    const port = await bind(server);
    const project = this.stack.project;
    const { pwd, main } = pwdMain(project);
    // locateModule: `require.resolve('@pulumi/pulumi/cmd/run')` from the program's folder.
    const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
    const args = [
      runPath,
      "--monitor", `127.0.0.1:${port}`,
      "--engine", this.engine!.address,
      "--project", project.name,
      "--root-directory", project.root,
      "--stack", this.stack.opts.stack,
      "--pwd", pwd,
      ...(this.dryRun ? ["--dry-run"] : []),
      "--parallel", String(this.parallel),
      main,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.stack.opts.env, ...this.stack.configEnv() };
    // The language host's runtime options (pulumi-language-nodejs `parseOptions`): typescript defaults to true.
    delete env.PULUMI_NODEJS_TYPESCRIPT;
    delete env.PULUMI_NODEJS_TSCONFIG_PATH;
    if (project.options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof project.options.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = project.options.tsconfig;
    const nodeargs = typeof project.options.nodeargs === "string" ? project.options.nodeargs.split(/\s+/).filter(Boolean) : [];

    let stdout = "";
    let stderr = "";
    const loop = this.loop();
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeargs, ...args], { cwd: pwd, env, stdio: ["ignore", "pipe", "pipe"] });
      this.program = child;
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`program did not finish in ${this.opts.timeoutMs ?? 120_000} ms; stderr: ${stderr}`));
      }, this.opts.timeoutMs ?? 120_000);
      child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    }).finally(() => {
      this.programDone = true;
      this.wake?.();
    });
    await loop;
    await this.drain();
    if (!this.cancelled && !this.killed && exitCode === 0 && !this.dryRun) await this.postSteps();
    if (!this.cancelled && !this.killed && exitCode === 0 && this.dryRun) this.planDeletes();
    await shutdown(server);
    if (exitCode !== 0) this.failed = true;
    return { stdout, stderr, exitCode };
  }

  private monitor(): resrpc.IResourceMonitorServer {
    const unimplemented = (what: string) => (_call: unknown, cb: grpc.sendUnaryData<never>) =>
      cb({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by the engine model` } as grpc.ServiceError, null);
    const features = ["secrets", "aliasSpecs", "deletedWith"];
    const F = resproto.ResourceMonitorFeature;
    const featureIds: Record<string, resproto.ResourceMonitorFeature> = { secrets: F.RESOURCE_MONITOR_FEATURE_SECRETS, aliasSpecs: F.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS, deletedWith: F.RESOURCE_MONITOR_FEATURE_DELETED_WITH };
    return {
      // The SDK (runtime/settings.js `awaitFeatureSupport`) takes the features from here and only
      // probes SupportsFeature when this is UNIMPLEMENTED: an empty list would mean "no secrets",
      // and the SDK would send secret inputs as plain values.
      getDeploymentInfo: (_call, cb) => {
        const info = new resproto.DeploymentInfo();
        info.setSupportedfeaturesList(features.map((f) => featureIds[f]));
        cb(null, info);
      },
      supportsFeature: (call, cb) => {
        const resp = new resproto.SupportsFeatureResponse();
        resp.setHassupport(features.includes(call.request.getId()));
        cb(null, resp);
      },
      invoke: unimplemented("Invoke"),
      call: unimplemented("Call"),
      readResource: unimplemented("ReadResource"),
      existsResource: unimplemented("ExistsResource"),
      registerResource: (call, cb) => {
        const req = call.request;
        this.enqueue({ req, urn: this.urnOf(req), resolve: (r) => cb(null, r), reject: (e) => cb(e, null) });
      },
      registerResourceOutputs: (call, cb) => this.enqueue({ outputs: call.request, ack: () => cb(null, new emptyproto.Empty()) }),
      registerStackTransform: unimplemented("RegisterStackTransform"),
      registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
      registerResourceHook: unimplemented("RegisterResourceHook"),
      registerErrorHook: unimplemented("RegisterErrorHook"),
      registerPackage: (_call, cb) => {
        const resp = new resproto.RegisterPackageResponse();
        resp.setRef("package-ref");
        cb(null, resp);
      },
      signalAndWaitForShutdown: (_call, cb) => cb(null, new emptyproto.Empty()),
    };
  }

  private urnOf(req: resproto.RegisterResourceRequest): string {
    const type = req.getType();
    const parent = req.getParent();
    let qualified = type;
    if (parent) {
      const parentType = parent.split("::")[2] ?? "";
      if (parentType !== STACK_TYPE) qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.stack.opts.stack}::${this.stack.project.name}::${qualified}::${req.getName()}`;
  }

  private enqueue(e: Deployment["queue"][number]): void {
    this.queue.push(e);
    this.wake?.();
  }

  private async next(): Promise<Deployment["queue"][number] | null> {
    for (;;) {
      if (this.queue.length > 0) return this.queue.shift()!;
      if (this.programDone || this.killed) return null;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }

  /** The deployment executor's main loop: one event at a time. */
  private async loop(): Promise<void> {
    for (;;) {
      const ev = await this.next();
      if (ev === null) return;
      if ("outputs" in ev) {
        this.registerOutputs(ev.outputs);
        ev.ack();
        continue;
      }
      if (this.cancelled) {
        ev.reject(UNAVAILABLE("sending resource registration"));
        continue;
      }
      try {
        const steps = await this.generate(ev);
        if (steps.length > 0) await this.submit(steps, ev);
      } catch (e) {
        if (!(e instanceof Bail)) this.error(ev.urn, e instanceof Error ? e.message : String(e));
        this.failed = true;
        this.cancel();
        ev.reject(UNAVAILABLE("waiting on step's done channel"));
      }
    }
  }

  private cancel(): void {
    this.cancelled = true;
    for (const w of this.slotWaiters.splice(0)) w();
  }

  private registerOutputs(req: resproto.RegisterResourceOutputsRequest): void {
    const outputs = fromStruct(req.getOutputs());
    const state = this.registered.get(req.getUrn());
    if (state) state.outputs = outputs;
    if (req.getUrn().split("::")[2] === STACK_TYPE) this.stackOutputs = outputs;

  }

  // ------------------------------------------------------------------------------------------
  // The step generator

  private async generate(reg: Registration): Promise<Step[]> {
    const { req, urn } = reg;
    const old = this.baseByUrn.get(urn);
    const goal = {
      type: req.getType(),
      custom: req.getCustom(),
      parent: req.getParent(),
      inputs: fromStruct(req.getObject()),
      dependencies: [...new Set([...req.getDependenciesList(), ...[...req.getPropertydependenciesMap().entries()].flatMap(([, d]) => d.getUrnsList())])],
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      protect: Boolean(req.getProtect()),
      retainOnDelete: Boolean(req.getRetainondelete()),
      deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
    };
    const base = (over: Partial<ResourceState>): ResourceState => ({
      urn, type: goal.type, custom: goal.custom, id: "", parent: goal.parent, provider: "", inputs: goal.inputs, outputs: {},
      dependencies: goal.dependencies, protect: goal.protect, retainOnDelete: goal.retainOnDelete, ignoreChanges: goal.ignoreChanges, ...over,
    });
    const record = (op: StepOp, extra: Partial<StepRecord> = {}): StepRecord => ({ urn, op, type: goal.type, ...extra });

    if (this.opts.continueOnError && goal.dependencies.some((d) => this.errored.has(d))) {
      // doesStepDependOn: step.Skip() answers the registration with Result SKIP.
      this.steps.push(record("skipped"));
      this.errored.add(urn);
      this.answer(reg, this.placeholder(reg), RESULT_SKIP);
      return [];
    }

    if (!goal.custom) {
      // Components: no provider; same when the inputs did not change, else create or update.
      const state = base({ outputs: {} });
      const op: StepOp = !old ? "create" : JSON.stringify(old.inputs) === JSON.stringify(goal.inputs) ? "same" : "update";
      return [{ record: record(op), registers: true, run: async () => this.finishSame(reg, old, state) }];
    }

    if (!goal.type.startsWith("pulumi-nodejs:dynamic")) throw new Error(`the engine model runs dynamic resources only, not ${goal.type}`);
    const provider = this.ensureDefaultProvider();
    let inputs = goal.inputs;
    if (old && !old.delete) {
      const ignored = processIgnoreChanges(inputs, old.inputs, goal.ignoreChanges);
      inputs = ignored.inputs;
      if (ignored.invalid.length) this.diagnostics.push({ severity: "info", urn, message: `cannot ignore changes in added or removed elements of the path: ${JSON.stringify(ignored.invalid.join(", "))}` });
    }
    const check = async (olds: Props) => {
      const res = await this.call("check", urn, (h) => h.check(urn, olds, inputs), inputs);
      if (res.failures.length > 0) this.checkFailed(urn, goal.type, inputs, res.failures);
      if (!this.dryRun && containsUnknowns(res.inputs)) throw new Error(`${urn}: Check returned unknown values outside preview`);
      return annotateSecrets(res.inputs, inputs);
    };
    const checked = await check(old && !old.delete ? old.inputs : {});
    const next = base({ inputs: checked, provider });

    if (!old || old.delete) {
      return [{ record: record("create", { inputs: checked }), registers: true, run: () => this.create(reg, next) }];
    }

    const diff = applyReplaceOnChanges(await this.diff(urn, old, checked, goal.ignoreChanges), goal.replaceOnChanges);
    if (diff.changes === "none") {
      return [{ record: record("same", { diff, inputs: checked }), registers: true, run: async () => this.finishSame(reg, old, { ...next, id: old.id, outputs: old.outputs }) }];
    }
    if (diff.replaceKeys.length === 0) {
      return [{ record: record("update", { diff, inputs: checked }), registers: true, run: () => this.update(reg, old, next) }];
    }
    if (old.protect && goal.protect) {
      this.error(urn, `unable to replace resource "${urn}"\nas it is currently marked for protection.`);
      throw new Bail();
    }
    // Replacement: Check again without olds (defaults are no longer carried over).
    const fresh = base({ inputs: await check({}), provider });
    const dbr = goal.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    const replaceRecord = record("replace", { diff, inputs: fresh.inputs });
    if (dbr) {
      return [
        { record: record("delete-replaced"), run: () => this.delete(old) },
        { record: replaceRecord, run: async () => undefined },
        { record: record("create-replacement", { diff, inputs: fresh.inputs }), registers: true, run: () => this.create(reg, fresh) },
      ];
    }
    return [
      { record: record("create-replacement", { diff, inputs: fresh.inputs }), registers: true, run: () => this.create(reg, fresh, old) },
      { record: replaceRecord, run: async () => undefined },
    ];
  }

  private checkFailed(urn: string, type: string, inputs: Props, failures: CheckFailure[]): never {
    const name = urn.split("::").pop();
    for (const f of failures) {
      this.error(urn, f.property
        ? `${type} resource '${name}': property ${f.property} value ${JSON.stringify(unwrapSecrets(inputs[f.property]) ?? null)} has a problem: ${f.reason}`
        : `${type} resource '${name}' has a problem: ${f.reason}`);
    }
    throw new Bail(`resource ${urn} is invalid`);
  }

  /** diffResource: the provider's answer, or the engine's own input diff when it says DIFF_UNKNOWN. */
  private async diff(urn: string, old: ResourceState, news: Props, ignoreChanges: string[]): Promise<EngineDiff> {
    const res = await this.call("diff", urn, (h) => h.diff(old.id, urn, old.outputs, news, old.inputs));
    if (res.changes === "unknown") {
      const d = inputDiff(unwrapSecrets(old.inputs) as Props, unwrapSecrets(news) as Props, ignoreChanges);
      return { changes: d.changedKeys.length ? "some" : "none", ...d, replaceKeys: res.replaces, deleteBeforeReplace: res.deleteBeforeReplace, decidedBy: "engine" };
    }
    return { changes: res.changes, changedKeys: [], detailed: [], replaceKeys: res.replaces, deleteBeforeReplace: res.deleteBeforeReplace, decidedBy: "provider" };
  }

  // ------------------------------------------------------------------------------------------
  // The step executor

  /** ExecuteSerial: wait for a free worker (the generator blocks meanwhile), then run the chain. */
  private async submit(chain: Step[], reg: Registration | undefined, ignoreErrors = false): Promise<void> {
    while (this.active >= this.parallel && !this.cancelled) await new Promise<void>((r) => this.slotWaiters.push(r));
    if (this.cancelled) {
      reg?.reject(UNAVAILABLE("waiting on step's done channel"));
      return;
    }
    this.active++;
    const p = this.executeChain(chain, reg, ignoreErrors).finally(() => {
      this.active--;
      this.inflight.delete(p);
      this.slotWaiters.shift()?.();
    });
    this.inflight.add(p);
  }

  private async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private async executeChain(chain: Step[], reg: Registration | undefined, ignoreErrors: boolean): Promise<void> {
    for (const step of chain) {
      if (this.cancelled) {
        if (step.registers) reg?.reject(UNAVAILABLE("waiting on step's done channel"));
        return;
      }
      try {
        await step.run();
        this.steps.push(step.record);
      } catch (e) {
        const message = e instanceof HostCallError ? e.details : e instanceof Error ? e.message : String(e);
        step.record.error = message;
        this.steps.push(step.record);
        if (!this.killed) this.error(step.record.urn, `${DOING[step.record.op]} failed: ${message}`);
        this.failed = true;
        this.errored.add(step.record.urn);
        if (this.opts.continueOnError) {
          // step.Fail(): the registration is answered with Result FAIL (the SDK asks for result
          // reporting), so dependents' inputs reject and the rest of the program goes on.
          if (reg) this.answer(reg, { ...this.placeholder(reg), id: "" }, resproto.Result.FAIL);
        } else if (!ignoreErrors) {
          // Cancelled: the registration waits until the monitor shuts down, then fails.
          this.cancel();
          reg?.reject(UNAVAILABLE("waiting on step's done channel"));
        }
        return;
      }
    }
  }

  /** The answer to the program: URN, id and outputs, secrets re-marked where the program accepts them. */
  private respond(reg: Registration, state: ResourceState): void {
    this.answer(reg, state, resproto.Result.SUCCESS);
  }

  private answer(reg: Registration, state: ResourceState, result: resproto.Result): void {
    const resp = new resproto.RegisterResourceResponse();
    resp.setUrn(state.urn);
    resp.setId(state.id);
    const outputs = state.custom ? state.outputs : {};
    resp.setObject(toStruct((reg.req.getAcceptsecrets() ? outputs : unwrapSecrets(outputs)) as Props));
    resp.setResult(result);
    reg.resolve(resp);
  }

  private placeholder(reg: Registration): ResourceState {
    return {
      urn: reg.urn, type: reg.req.getType(), custom: reg.req.getCustom(), id: "", parent: reg.req.getParent(), provider: "", inputs: fromStruct(reg.req.getObject()), outputs: {},
      dependencies: [], protect: false, retainOnDelete: false, ignoreChanges: [],
    };
  }

  private finishSame(reg: Registration, old: ResourceState | undefined, state: ResourceState): void {
    this.journal("done", state.urn, () => {
      if (old) this.done.add(old);
      this.news.push(state);
      this.registered.set(state.urn, state);
    });
    this.respond(reg, state);
  }

  private async create(reg: Registration, state: ResourceState, replacing?: ResourceState): Promise<void> {
    if (this.dryRun) {
      // supportsPreview=false: the checked inputs stand in as outputs; the id is unknown.
      const planned = { ...state, outputs: state.inputs };
      this.registered.set(state.urn, planned);
      this.respond(reg, planned);
      return;
    }
    const op = this.begin("creating", state);
    const res = await this.write(op, () => this.call("create", state.urn, (h) => h.create(state.urn, state.inputs)));
    const created = { ...state, id: res.id, outputs: annotateSecrets(res.properties, state.inputs) };
    this.end(op, () => {
      if (replacing) {
        replacing.delete = true;
        this.toDeleteAfter.push(replacing);
      }
      this.news.push(created);
      this.registered.set(created.urn, created);
    });
    this.respond(reg, created);
  }

  private async update(reg: Registration, old: ResourceState, state: ResourceState): Promise<void> {
    if (this.dryRun) {
      const planned = { ...state, id: old.id, outputs: state.inputs };
      this.registered.set(state.urn, planned);
      this.respond(reg, planned);
      return;
    }
    const op = this.begin("updating", { ...state, id: old.id });
    const res = await this.write(op, () => this.call("update", state.urn, (h) => h.update(old.id, state.urn, old.outputs, state.inputs, old.inputs)));
    const updated = { ...state, id: old.id, outputs: annotateSecrets(res.properties, state.inputs) };
    this.end(op, () => {
      this.done.add(old);
      this.news.push(updated);
      this.registered.set(updated.urn, updated);
    });
    this.respond(reg, updated);
  }

  private async delete(old: ResourceState): Promise<void> {
    if (old.protect) throw new Error(`resource "${old.urn}" cannot be deleted because it is protected`);
    if (this.dryRun) return;
    const op = this.begin("deleting", old);
    if (old.custom && !old.retainOnDelete && old.type !== DEFAULT_PROVIDER_TYPE) {
      await this.write(op, () => this.call("delete", old.urn, (h) => h.delete(old.id, old.urn, old.outputs, old.inputs)));
    }
    this.end(op, () => this.done.add(old));
  }

  // ------------------------------------------------------------------------------------------
  // After the program: deletes

  /** Resources to delete, in antichains: a resource goes only after everything depending on it. */
  private scheduleDeletes(targets: ResourceState[]): ResourceState[][] {
    const left = new Set(targets);
    const layers: ResourceState[][] = [];
    const dependsOn = (r: ResourceState, d: ResourceState) => r.dependencies.includes(d.urn) || r.parent === d.urn || r.provider.startsWith(`${d.urn}::`);
    while (left.size > 0) {
      const layer = [...left].filter((d) => ![...left].some((r) => r !== d && dependsOn(r, d)));
      if (layer.length === 0) throw new Error("dependency cycle among resources to delete");
      layer.forEach((r) => left.delete(r));
      layers.push(layer);
    }
    return layers;
  }

  private deletable(): ResourceState[] {
    const gone = this.snapshot.resources.filter((r) => !this.registered.has(r.urn) && !this.done.has(r) && !r.delete);
    return [...gone, ...this.toDeleteAfter, ...this.snapshot.resources.filter((r) => r.delete && !this.done.has(r))];
  }

  private planDeletes(): void {
    for (const r of this.deletable()) if (r.type !== STACK_TYPE) this.steps.push({ urn: r.urn, op: "delete", type: r.type });
  }

  private async postSteps(): Promise<void> {
    for (const layer of this.scheduleDeletes(this.deletable())) {
      if (this.cancelled) return;
      for (const r of layer) {
        if (this.errored.has(r.urn)) continue;
        const op: StepOp = r.delete ? "delete-replaced" : "delete";
        await this.submit([{ record: { urn: r.urn, op, type: r.type }, run: () => this.delete(r) }], undefined);
      }
      await this.drain();
    }
  }

  // ------------------------------------------------------------------------------------------
  // refresh and destroy (no program)

  private async withoutProgram(): Promise<void> {
    if (this.kind === "refresh") {
      await this.refreshAll();
      if (!this.killed) {
        // Refresh clears pending updates and deletes; pending creates only with --clear-pending-creates.
        this.snapshot.pendingOperations = this.snapshot.pendingOperations.filter((op) => op.type === "creating" && !this.opts.clearPendingCreates);
      }
      return;
    }
    for (const layer of this.scheduleDeletes(this.snapshot.resources.filter((r) => r.type !== STACK_TYPE))) {
      if (this.cancelled) return;
      for (const r of layer) {
        await this.submit([{ record: { urn: r.urn, op: "delete", type: r.type }, run: () => this.delete(r) }], undefined);
      }
      await this.drain();
    }
    const stackRes = this.snapshot.resources.find((r) => r.type === STACK_TYPE);
    if (!this.failed && stackRes) this.journal("done", stackRes.urn, () => this.done.add(stackRes));
  }

  /** Every custom resource refreshed in parallel; a failure does not cancel the others. */
  private async refreshAll(): Promise<void> {
    const targets = this.snapshot.resources.filter((r) => r.custom && r.type !== DEFAULT_PROVIDER_TYPE && !r.delete);
    const results = new Map<ResourceState, ResourceState | null>();
    for (const r of targets) {
      if (this.killed) break;
      const record: StepRecord = { urn: r.urn, op: "refresh", type: r.type };
      await this.submit([{ record, run: async () => void results.set(r, await this.refreshOne(r, record)) }], undefined, true);
    }
    await this.drain();
    if (this.killed) return;
    // rebuildBaseState: refreshed states replace the base; gone ones leave it.
    this.snapshot.resources = this.snapshot.resources.flatMap((r) => (results.has(r) ? (results.get(r) ? [results.get(r)!] : []) : [r]));
    this.baseByUrn.clear();
    for (const r of this.snapshot.resources) this.baseByUrn.set(r.urn, r);
    // `up --refresh` stops before the program when a refresh failed (deployment_executor.go `refresh`).
    if (this.failed) this.cancelled = true;
  }

  private async refreshOne(old: ResourceState, record: StepRecord): Promise<ResourceState | null> {
    const r = await this.call("read", old.urn, (h) => h.read(old.id, old.urn, old.outputs, old.inputs));
    if (!r.id) {
      record.gone = true;
      return null;
    }
    const refreshed: ResourceState = { ...old, id: r.id, inputs: r.inputs ? annotateSecrets(r.inputs, old.inputs) : old.inputs, outputs: annotateSecrets(r.properties, old.outputs) };
    // The drift shown: what an `up` of an unchanged program would do, inverted.
    const d = await this.call("diff", old.urn, (h) => h.diff(refreshed.id, old.urn, refreshed.outputs, old.inputs, refreshed.inputs));
    if (d.changes === "unknown") {
      const own = inputDiff(unwrapSecrets(old.inputs) as Props, unwrapSecrets(refreshed.inputs) as Props, old.ignoreChanges);
      record.drift = { changes: own.changedKeys.length ? "some" : "none", ...own, replaceKeys: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace, decidedBy: "engine" };
    } else {
      record.drift = { changes: d.changes, changedKeys: [], detailed: [], replaceKeys: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace, decidedBy: "provider" };
    }
    return refreshed;
  }
}

/** A failure already reported as diagnostics: stop the deployment without another message. */
class Bail extends Error {}

export { PROVIDER_KEY };

/**
 * The engine model: what `pulumi preview|up|refresh|destroy` do to a project, built from the
 * engine's source (see ./deployment.ts for the citations) and run against the real SDK. Every
 * engine test in the suite goes through it. It is a model: it is not Pulumi, and the README says so.
 */
export { Stack, defaultParallel, DEFAULT_PROVIDER_TYPE, STACK_TYPE, type RunOptions, type RunResult, type StepRecord, type StepOp, type Diagnostic, type CallRecord, type EngineEvent, type StackOptions } from "./deployment";
export { ProviderHost, HostCallError, withHost, startEngine, urnFor, REPO_ROOT, DYNAMIC_TYPE, PROVIDER_KEY, type CheckFailure, type CheckResult, type DiffResult, type LogRecord, type EngineServer } from "./provider-host";
export { SECRET_SIG, SECRET_SIG_KEY, UNKNOWN, secret, unwrapSecrets, isSecret, type Props } from "./wire";
export type { ResourceState, Snapshot, PendingOperation } from "./state";
export { parsePath, processIgnoreChanges, inputDiff, applyReplaceOnChanges, type EngineDiff } from "./diff";
export { loadProject, pwdMain } from "./project";

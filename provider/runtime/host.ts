/**
 * Host side of the small-state stub (see ./stub.ts). Runs only inside the SDK's dynamic-provider
 * host, loaded by the stub's `configure` through `require("analytics-access/provider/runtime/host")`.
 *
 * `attach(target, kind, req)` resolves the handler of `kind` (the registry in
 * ../resources/index.ts, or `echo` in this folder), installs its
 * check/diff/create/read/update/delete onto the cached provider object the host holds, and
 * forwards the stack configuration to the handler's `configure`. Every installed method waits for
 * that configure to finish and scrubs secret configuration values out of errors and check
 * failures before they reach the host (which prints errors to stderr and sends messages to the
 * engine).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as echo from "./echo"; // a cycle, harmless: echo uses this module's helpers only when called

/** What a handler module exports (as `handler`, `default`, or as the module object itself). */
export interface Handler extends Partial<Omit<pulumi.dynamic.ResourceProvider, "configure">> {
  /** Called once per host process and kind, with the whole stack configuration (full `ns:key` names). */
  configure?(req: pulumi.dynamic.ConfigureRequest): void | Promise<void>;
}

export const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;
export type MethodName = (typeof METHODS)[number];

/** Kinds that live in this folder (generic machinery and diagnostics); all others are the registry's (../resources/index.ts). */
const RUNTIME_KINDS = { echo: () => echo.handler } satisfies Record<string, () => Handler>;
export type RuntimeKind = keyof typeof RUNTIME_KINDS;
const KIND_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** Config keys whose values are treated as secret (never to appear in errors). Matched on the part after `ns:`. */
export const SECRET_KEY_PATTERN = /(token|secret|password|passphrase|api-?key|credential|private)/i;

/**
 * Resolve the handler object for a kind, as stored in state: a runtime kind of this folder, or
 * through the registry of resource kinds. Exported for tests and tools.
 */
export function loadHandler(kind: string): Handler {
  if (!KIND_PATTERN.test(kind)) {
    throw new Error(`invalid provider kind ${JSON.stringify(kind)}`);
  }
  if (Object.hasOwn(RUNTIME_KINDS, kind)) return RUNTIME_KINDS[kind as RuntimeKind]();
  // The registry is loaded on first use, by its fixed path: this folder works on its own for the
  // runtime kinds (an installed copy of runtime/ alone serves `echo`), and the registry's handlers
  // import this module.
  const registry: typeof import("../resources") = require("../resources");
  if (!registry.isKind(kind))
    throw new Error(`unknown provider kind ${JSON.stringify(kind)}: not in the registry of resource kinds (provider/resources/index.ts: ${Object.keys(registry.KINDS).join(", ")}) nor a runtime kind (${Object.keys(RUNTIME_KINDS).join(", ")}); was the resource created by another version of analytics-access?`);
  return registry.handlerFor(kind);
}

/** Secret values found in the configuration (by key name), longest first. */
export function secretValues(config: unknown): string[] {
  const raw = (config as { rawConfig?: Record<string, unknown> } | undefined)?.rawConfig ?? {};
  const values = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    const name = key.includes(":") ? key.slice(key.indexOf(":") + 1) : key;
    if (SECRET_KEY_PATTERN.test(name) && typeof value === "string" && value.length >= 4) {
      values.add(value);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    out = out.split(s).join("[secret]");
  }
  return out;
}

function scrubError(e: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return e;
  if (e instanceof Error) {
    e.message = redact(e.message, secrets);
    if (e.stack) e.stack = redact(e.stack, secrets);
    return e;
  }
  if (typeof e === "string") return new Error(redact(e, secrets));
  return e;
}

/**
 * Install the handler for `kind` onto `target` (the provider object the host caches) and
 * configure it. Never rejects: a configure failure is reported by every later call instead,
 * because the host caches the provider even when configure throws.
 */
export function attach(target: Record<string, unknown>, kind: string, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const secrets = secretValues(req?.config);
  let ready: Promise<void>;
  let handler: Handler | undefined;
  try {
    handler = loadHandler(kind);
    const h = handler;
    ready = Promise.resolve().then(() => h.configure?.(req));
  } catch (e) {
    ready = Promise.reject(e);
  }
  ready = ready.catch((e) => {
    throw scrubError(e, secrets);
  });
  ready.catch(() => undefined); // reported by the calls below, not as an unhandled rejection

  // If the handler could not be loaded, install every method so that each call (Delete included)
  // fails loudly; a missing `delete` would make the host report success and drop the resource.
  const names: readonly MethodName[] = handler ? METHODS.filter((m) => typeof handler![m] === "function") : METHODS;
  for (const name of names) {
    target[name] = async (...args: unknown[]) => {
      await ready;
      try {
        const fn = handler![name] as (...a: unknown[]) => unknown;
        const result = await fn.apply(handler, args);
        const checked = result as pulumi.dynamic.CheckResult | undefined;
        if (name === "check" && secrets.length > 0 && checked?.failures) {
          return {
            ...checked,
            failures: checked.failures.map((f) => ({ property: f.property, reason: redact(f.reason, secrets) })),
          };
        }
        return result;
      } catch (e) {
        throw scrubError(e, secrets);
      }
    };
  }
  return Promise.resolve();
}

/** A stack config value by key; a bare key is looked up under this package's namespace. */
export function configValue(req: pulumi.dynamic.ConfigureRequest, key: string): string | undefined {
  const full = key.includes(":") ? key : `analytics-access:${key}`;
  const v = req?.config?.get(full);
  return typeof v === "string" ? v : v === undefined || v === null ? undefined : String(v);
}

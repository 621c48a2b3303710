import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { Finding, Violation } from "../../schema";
import type { Backend } from "../backends/backend";
import type { Kind } from ".";

/** The engine's placeholder for a value not known during preview (the SDK's rpc.unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const dotted = (path: readonly (string | number)[]) => path.map(String).join(".");

/** Rule findings as Check failures: the rule id, what is wrong and the fix, on the property. */
export function checkFailures(findings: readonly (Finding | Violation)[]): pulumi.dynamic.CheckFailure[] {
  return findings
    .filter((f) => !("severity" in f) || f.severity === "error")
    .map((f) => ({ property: dotted(f.path), reason: `[${f.rule}] ${f.message}. Fix: ${f.fix}` }));
}

export function schemaFailures(error: z.ZodError): pulumi.dynamic.CheckFailure[] {
  return error.issues.map((i) => ({ property: dotted(i.path as (string | number)[]), reason: i.message }));
}

/**
 * Run a write that the portal may refuse for licence capacity (the platform's 409 LIC-1), retrying
 * for a bounded time: in a swap, another operation of the same `up` releases the licence meanwhile.
 * The whole plan was checked against capacity at preview, so a lasting refusal is a real one.
 */
export async function withLicenceWait<T>(backend: Pick<Backend, "refusal">, waitMs: number, write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await write();
    } catch (err) {
      const exhausted = backend.refusal(err)?.kind === "capacity";
      if (!exhausted || Date.now() + delay > deadline) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * Create, and when the portal answers that the entity exists (the platform's 409 naming
 * `existingId`: created meanwhile by another run, or an earlier attempt whose answer was lost),
 * adopt that one. The embedded backend's POSTs carry a fresh idempotency key per call (the
 * client's): a key derived from the entity would replay an old answer after the entity was
 * deleted and is to be created again.
 */
export async function createOrAdopt<T>(backend: Pick<Backend, "refusal">, create: () => Promise<T>, adopt: (existingId: string) => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    const refused = backend.refusal(err);
    if (refused?.kind === "exists") return adopt(refused.existingId);
    throw err;
  }
}

/** Delete, where an entity already gone counts as deleted. */
export async function deleteIfThere(backend: Pick<Backend, "refusal">, remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (backend.refusal(err)?.kind !== "gone") throw err;
  }
}

/** Whether a value holds the engine's unknown anywhere (whole, or inside an array or object). */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * At preview, inputs that come from resources not created yet arrive as the engine's unknown. The
 * declaration splits into what is known, which Check parses and judges, and the fields holding an
 * unknown, which Check passes through untouched so that Diff and the program see them as unknown.
 */
export function splitUnknowns(props: Record<string, unknown>): { known: Record<string, unknown>; unknown: string[]; values: Record<string, unknown> } {
  const known: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (containsUnknown(v)) values[k] = v;
    else known[k] = v;
  }
  return { known, unknown: Object.keys(values), values };
}

/** The known fields parsed, with the unknown ones optional: a known field is still checked for shape. */
export function parseKnown<T extends z.ZodObject>(schema: T, split: { known: Record<string, unknown>; unknown: string[] }) {
  const mask = Object.fromEntries(split.unknown.map((k) => [k, true])) as never;
  return (split.unknown.length ? schema.partial(mask) : schema).safeParse(split.known) as z.ZodSafeParseResult<Partial<z.infer<T>>>;
}

/**
 * What a preview cannot judge yet, said where the user sees it: the dynamic-provider host's
 * output is shown by the CLI (plugin.go `runtrace`). Check judges it again during `up`, before
 * this resource is written.
 */
export function notJudgedAtPreview(what: string, fields: readonly string[], rules: string): void {
  console.warn(`analytics-access: ${what}: ${fields.join(", ")} ${fields.length === 1 ? "is" : "are"} not known until apply, so ${rules} cannot be judged at preview; they are judged during \`up\` before this resource is written. Pass known values (e.g. a user's email rather than an output computed from an id) to have them judged at preview.`);
}

/**
 * Diff on canonical declarations. No change: DIFF_NONE. A change: the answer is left to the engine
 * (DIFF_UNKNOWN), which then diffs the old inputs against the new ones itself and so knows which
 * keys change: that is what `replaceOnChanges`, `ignoreChanges` and the preview's property diff
 * need, and the SDK's host has no field to send changed keys (deploy/step_generator.go
 * `diffResource`). This relies on the stored inputs describing the platform as the outputs do:
 * Check and Read return canonical declarations, and writes verify what the platform applied.
 */
export function declarationDiff(before: unknown, after: unknown, replaces: string[] = []): pulumi.dynamic.DiffResult {
  if (replaces.length === 0 && !containsUnknown(after) && JSON.stringify(before) === JSON.stringify(after)) return { changes: false };
  // Every resource here is found by its natural key (extension, email, name), and Create adopts
  // what it finds: a replacement created before the old one is deleted would adopt the old one,
  // then the delete would remove it. So any replacement, replaceOnChanges' too, deletes first.
  return { replaces, deleteBeforeReplace: true };
}

/** Keys of `sent` that the platform's answer does not hold: a write the platform took but did not carry out. */
export function notApplied<T extends object>(sent: Partial<T>, got: T): string[] {
  return (Object.keys(sent) as (keyof T & string)[]).filter((k) => JSON.stringify(sent[k]) !== JSON.stringify(got[k]));
}

/** The version a resource's state holds (its `etag` output), to send back with a write; undefined where the portal has none. */
export const etagOf = (props: Record<string, unknown>): string | undefined => (typeof props.etag === "string" ? props.etag : undefined);
/** The `etag` output of a record: none where the portal keeps no versions (an undefined output cannot be serialized). */
export const etagOutput = (r: { etag?: string }): { etag?: string } => (r.etag === undefined ? {} : { etag: r.etag });

/** Whether a declared value says anything: an empty list or object declares nothing a portal must hold. */
const says = (v: unknown): boolean =>
  v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);

/**
 * What the backend cannot carry of a declaration, as Check failures: the whole kind, or each
 * declared field it has no API for. Nothing is silently dropped: a declared thing the target
 * cannot carry is an error at preview, never a no-op at apply.
 */
export async function capabilityFailures(backend: Pick<Backend, "name" | "capabilities">, kind: Kind, declared: Record<string, unknown>): Promise<pulumi.dynamic.CheckFailure[]> {
  const can = await backend.capabilities();
  const carried = can.kinds[kind];
  const advice = `choose a backend that carries it (analytics-access:backend), or manage it in the portal`;
  if (carried !== true) return [{ property: "", reason: `the ${backend.name} backend cannot carry a ${kind}: ${carried ?? "it does not say it can"}; remove the resource, or ${advice}` }];
  const fields: Record<string, string | undefined> = can.unsupportedFields?.[kind] ?? {};
  return Object.keys(declared)
    .filter((f) => fields[f] !== undefined && says(declared[f]))
    .map((f) => ({ property: f, reason: `the ${backend.name} backend cannot carry a ${kind}'s ${f}: ${fields[f]}; leave ${f} out, or ${advice}` }));
}

import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { Finding, Violation } from "../../schema";
import { PlatformError } from "../client";

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
 * Run a write that the platform may refuse for licence capacity (409 LIC-1), retrying for a
 * bounded time: in a swap, another operation of the same `up` releases the licence meanwhile.
 * The whole plan was checked against capacity at preview, so a lasting refusal is a real one.
 */
export async function withLicenceWait<T>(waitMs: number, write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await write();
    } catch (err) {
      const exhausted = err instanceof PlatformError && err.status === 409 && err.code === "LIC-1";
      if (!exhausted || Date.now() + delay > deadline) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * POST, and when the platform answers that the entity exists (409 naming `existingId`: created
 * meanwhile by another run, or an earlier attempt whose answer was lost), adopt that one.
 * POSTs carry a fresh idempotency key per call (the client's): a key derived from the entity
 * would replay an old answer after the entity was deleted and is to be created again.
 */
export async function createOrAdopt<T>(post: () => Promise<T>, adopt: (existingId: string) => Promise<T>): Promise<T> {
  try {
    return await post();
  } catch (err) {
    if (err instanceof PlatformError && err.status === 409 && typeof err.problem.existingId === "string") return adopt(err.problem.existingId);
    throw err;
  }
}

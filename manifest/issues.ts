// Zod issues → problems a person can act on: plain messages, did-you-mean for near misses.
import type { z } from "zod";
import { closest } from "./suggest";
import type { PathSegment } from "./source";
import { type AnySchema, keysOf, schemaAt } from "./zod";

/** What one zod issue says, before it is placed in the file. */
export interface IssueReport {
  code: "SCHEMA" | "UNKNOWN-KEY";
  path: PathSegment[];
  /** Point at the key (unknown keys) or at the value (wrong values), or at the parent (missing fields). */
  at: "key" | "value";
  message: string;
  fix?: string;
}

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "nothing" : JSON.stringify(v) ?? String(v));

function describe(input: unknown): string {
  if (input === null) return "null (an empty value)";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") return `the string ${JSON.stringify(input)}`;
  return `${typeof input === "number" ? "the number" : typeof input === "boolean" ? "the boolean" : typeof input} ${String(input)}`;
}

const EXPECTED: Record<string, string> = {
  object: "a mapping", array: "a list", string: "a string", boolean: "true or false", number: "a number", int: "an integer",
};

function typeFix(expected: string, input: unknown): string | undefined {
  if (expected === "boolean" && typeof input === "string" && /^(?:y|yes|n|no|on|off)$/i.test(input))
    return `write ${/^(?:y|yes|on)$/i.test(input) ? "true" : "false"} (YAML 1.2 reads ${input} as a string)`;
  if (expected === "string" && (typeof input === "number" || typeof input === "boolean")) return `quote it: "${String(input)}"`;
  if (expected === "array" && (typeof input === "string" || typeof input === "number")) return `make it a list: [${String(input)}]`;
  return undefined;
}

/**
 * did-you-mean, remembered: a file with thousands of problems repeats the same few misspellings
 * against the same few key lists, and each answer costs an edit distance per candidate.
 */
const nearMisses = new Map<string, string | undefined>();
function closestKey(word: string, candidates: readonly string[]): string | undefined {
  const k = `${word}\u0000${candidates.join("\u0001")}`;
  if (nearMisses.has(k)) return nearMisses.get(k);
  if (nearMisses.size >= 4096) nearMisses.clear();
  const near = closest(word, candidates);
  nearMisses.set(k, near);
  return near;
}

/** One zod issue as reports (an unrecognized_keys issue gives one per key). */
export function reportIssue(issue: z.core.$ZodIssue, root: AnySchema, base: PathSegment[] = []): IssueReport[] {
  const path = [...base, ...(issue.path as PathSegment[])];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = keysOf(schemaAt(root, path));
      return issue.keys.map((key) => {
        const near = closestKey(key, allowed);
        return {
          code: "UNKNOWN-KEY" as const,
          path: [...path, key],
          at: "key" as const,
          message: near ? `unknown key "${key}"; did you mean "${near}"?` : `unknown key "${key}"`,
          fix: near ? `rename it to "${near}"` : allowed.length ? `remove it; allowed here: ${allowed.join(", ")}` : "remove it",
        };
      });
    }
    case "invalid_type": {
      if (input === undefined) {
        const field = path[path.length - 1];
        return [{ code: "SCHEMA", path, at: "value", message: typeof field === "string" ? `missing required field "${field}"` : `missing ${EXPECTED[issue.expected] ?? issue.expected}`, fix: typeof field === "string" ? `add \`${field}: …\` (${EXPECTED[issue.expected] ?? issue.expected})` : undefined }];
      }
      return [{ code: "SCHEMA", path, at: "value", message: `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(input)}`, fix: typeFix(issue.expected, input) }];
    }
    case "invalid_value":
      if (input === undefined && typeof path[path.length - 1] === "string") {
        const field = path[path.length - 1];
        return [{ code: "SCHEMA", path, at: "value", message: `missing required field "${String(field)}"`, fix: `add \`${String(field)}: …\` (one of ${issue.values.map(show).join(", ")})` }];
      }
      return [valueReport(path, issue.values, input)];
    case "invalid_union": {
      const branches = issue.errors;
      const flat = branches.flat();
      // A union of literals and enums (e.g. recordingPlayback: false | own | all): one "one of" message.
      if (flat.length > 0 && flat.every((e) => (e.code === "invalid_value" || e.code === "invalid_type") && e.path.length === 0)) {
        const values = flat.flatMap((e) => (e.code === "invalid_value" ? e.values : []));
        if (values.length) return [valueReport(path, values, input)];
      }
      // Otherwise the branch that got furthest: the fewest issues.
      const best = [...branches].sort((a, b) => a.length - b.length)[0];
      if (best?.length) return best.flatMap((e) => reportIssue({ ...e, input: (e as { input?: unknown }).input } as z.core.$ZodIssue, root, path));
      return [{ code: "SCHEMA", path, at: "value", message: issue.message }];
    }
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return [{ code: "SCHEMA", path, at: "value", message: "must not be empty" }];
      return [{ code: "SCHEMA", path, at: "value", message: `too small: must be ${issue.origin === "string" ? "at least " + issue.minimum + " characters" : issue.origin === "array" ? "at least " + issue.minimum + " items" : ">= " + String(issue.minimum)}` }];
    case "too_big":
      return [{ code: "SCHEMA", path, at: "value", message: `too long: must be ${issue.origin === "string" ? "at most " + issue.maximum + " characters" : issue.origin === "array" ? "at most " + issue.maximum + " items" : "<= " + String(issue.maximum)}` }];
    case "invalid_format":
    case "custom":
    default:
      return [{ code: "SCHEMA", path, at: "value", message: issue.message }];
  }
}

function valueReport(path: PathSegment[], values: readonly unknown[], input: unknown): IssueReport {
  const strings = values.filter((v): v is string => typeof v === "string");
  const near = typeof input === "string" ? closestKey(input, strings) : undefined;
  const list = values.map(show).join(", ");
  const got = input === undefined ? "" : `${show(input)} is not allowed here: `;
  const message = values.length === 1 ? `${got}must be ${list}` : `${got}must be one of ${list}`;
  return near
    ? { code: "SCHEMA", path, at: "value", message: `${message}; did you mean "${near}"?`, fix: `write ${near}` }
    : { code: "SCHEMA", path, at: "value", message };
}

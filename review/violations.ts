// Rule violations as the review lists them: errors first, then in manifest order.
import { formatPath } from "../manifest/parse";
import type { Violation } from "../schema";
import { byPath, byText } from "./order";
import type { ReviewViolation } from "./types";

export function reviewViolations(violations: readonly Violation[]): ReviewViolation[] {
  const rank = (v: Violation) => (v.severity === "error" ? 0 : 1);
  return [...violations]
    .sort((a, b) => rank(a) - rank(b) || byPath(a.path, b.path) || byText(a.rule, b.rule))
    .map((v) => ({ rule: v.rule, severity: v.severity, resource: v.resource, path: formatPath(v.path), message: v.message, fix: v.fix }));
}

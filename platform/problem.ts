// A refusal the platform answers with: RFC 9457 problem+json, a stable code (platform/codes.ts lists
// them all, each with the statuses it comes with) and a detail that says what is wrong and what to do.
import type { Code, StatusOf } from "./codes";

export const PROBLEM_TITLES: Record<number, string> = {
  400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
  409: "Conflict", 412: "Precondition failed", 413: "Payload too large", 415: "Unsupported media type",
  422: "Unprocessable content", 429: "Too many requests", 500: "Internal server error", 503: "Service unavailable",
};

/** `new Problem(409, "LIC-1", …)`: a code missing from codes.ts, or a status its entry does not list, does not compile. */
export class Problem<C extends Code = Code> extends Error {
  constructor(
    readonly status: StatusOf<C>,
    readonly code: C,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${status} ${code}: ${detail}`);
  }

  /** The same problem with more members. */
  with(extra: Record<string, unknown>): Problem<C> {
    return new Problem<C>(this.status, this.code, this.detail, { ...this.extra, ...extra });
  }

  body(instance?: string): Record<string, unknown> {
    return {
      type: `https://analytics-access.dev/problems/${encodeURIComponent(this.code)}`,
      title: PROBLEM_TITLES[this.status] ?? "Error",
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}

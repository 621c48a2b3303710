// A refusal the platform answers with: RFC 9457 problem+json, a stable code and a detail that says
// what is wrong and what to do about it.
export const PROBLEM_TITLES: Record<number, string> = {
  400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
  409: "Conflict", 412: "Precondition failed", 413: "Payload too large", 415: "Unsupported media type",
  422: "Unprocessable content", 429: "Too many requests", 500: "Internal server error", 503: "Service unavailable",
};

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${status} ${code}: ${detail}`);
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

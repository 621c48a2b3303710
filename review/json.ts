// The access review as JSON: the Review object as built (its key order is fixed).
import type { Review } from "./types";

/** The review as JSON, two-space indented. */
export function renderJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}

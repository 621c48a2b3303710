// Bounded request reading, shared by the API (server.ts) and the vendor facades (vendors/*): a body
// over the limit is refused before it is read when Content-Length says so, and cut at the limit
// otherwise; what is left of a refused request is drained (bounded) so the client reads the answer
// instead of a reset. Also the checks that keep bad input from reaching a 500.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body, in bytes (README: 413 BODY-SIZE). */
export const MAX_BODY = 1_000_000;
/** How much of a refused request's body is read and thrown away (so the answer arrives) before the socket is closed. */
const DRAIN_MAX = 16 * 1024 * 1024;
/** Deepest JSON nesting a body may have (a request body nests 3 levels). */
export const MAX_JSON_DEPTH = 32;

/** Thrown by readBody: the body is over `MAX_BODY`. */
export class BodyTooLarge extends Error {
  constructor(readonly declared: boolean) { super(`The request body is over ${MAX_BODY} bytes.`); }
}

/** Whether the request declares a body (Content-Length > 0 or a Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const len = req.headers["content-length"];
  if (req.headers["transfer-encoding"] !== undefined) return true;
  return len !== undefined && len !== "0";
}

/** The body as text, at most MAX_BODY bytes: BodyTooLarge without reading when Content-Length is over it. */
export function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY) return Promise.reject(new BodyTooLarge(true));
  return new Promise((resolve, reject) => {
    let size = 0;
    let over = false;
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        over = true;
        req.off("data", onData);
        req.pause();
        reject(new BodyTooLarge(false));
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => { if (!over) resolve(Buffer.concat(chunks).toString("utf8")); });
    req.on("error", (e) => { if (!over) reject(e); });
  });
}

/**
 * After the answer: the rest of a body nobody read is read and dropped, up to DRAIN_MAX, then the
 * connection is closed (the answer carried `Connection: close`). Without this a client still sending
 * gets a reset instead of the 413 or 401.
 */
export function drain(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  req.removeAllListeners("data");
  req.on("data", (c: Buffer) => { seen += c.length; if (seen > DRAIN_MAX) req.destroy(); });
  req.on("error", () => {});
  req.resume();
}

/** Headers for an answer sent before the body was read: the connection closes after it. */
export function closeIfUnread(res: ServerResponse): Record<string, string> {
  const req = (res as ServerResponse & { req?: IncomingMessage }).req;
  return req && !req.complete ? { Connection: "close" } : {};
}

/** Whether a Content-Type is JSON: application/json or application/<x>+json, any parameters. */
export function isJsonType(type: string | undefined): boolean {
  const t = (type ?? "").split(";")[0].trim().toLowerCase();
  return t === "application/json" || /^application\/[\w.-]+\+json$/.test(t);
}

/** Where JSON text nests deeper than `max` (outside strings), or -1: checked before JSON.parse, which recursion downstream could not take. */
export function jsonDepthOver(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) { if (++depth > max) return i; }
    else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

/** decodeURIComponent, or undefined for bad percent-encoding. */
export function decodeSegment(s: string): string | undefined {
  try { return decodeURIComponent(s); } catch { return undefined; }
}

/** Names the platform stores (users' display names, groups, workspaces, roles): no control characters. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

// One HTTP request as raw bytes over a socket (any target, any header, any framing) and its answer.
import { connect } from "node:net";
import type { RawRequest } from "./generators";

export interface RawAnswer { status: number; headers: Record<string, string>; body: string; reset: boolean }

export function sendRaw(port: number, r: RawRequest, token: string, opts: { chunked?: boolean; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, connection: "close" };
  for (const [k, v] of Object.entries(r.headers)) headers[k] = v.replaceAll("%T%", token);
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, "utf8");
  if (body && opts.chunked) headers["transfer-encoding"] = "chunked";
  else if (body) headers["content-length"] = String(body.length);
  const head = `${r.method} ${r.target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let reset = false;
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no answer in ${opts.timeoutMs ?? 10_000} ms: ${r.kind} ${r.method} ${r.target.slice(0, 80)}`)); }, opts.timeoutMs ?? 10_000);
    s.on("data", (c) => chunks.push(c));
    s.on("error", () => { reset = true; });
    s.on("close", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks).toString("utf8");
      const at = all.indexOf("\r\n\r\n");
      if (at === -1) { resolve({ status: 0, headers: {}, body: all, reset: true }); return; }
      const lines = all.slice(0, at).split("\r\n");
      const status = Number(lines[0].split(" ")[1]);
      const hs: Record<string, string> = {};
      for (const l of lines.slice(1)) { const i = l.indexOf(":"); hs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
      let rest = all.slice(at + 4);
      if (/chunked/i.test(hs["transfer-encoding"] ?? "")) {
        let out = "";
        for (;;) {
          const nl = rest.indexOf("\r\n");
          const n = parseInt(rest.slice(0, nl), 16);
          if (!n) break;
          out += rest.slice(nl + 2, nl + 2 + n);
          rest = rest.slice(nl + 2 + n + 2);
        }
        rest = out;
      }
      resolve({ status, headers: hs, body: rest, reset });
    });
    s.write(Buffer.from(head, "latin1"));
    if (body && opts.chunked) {
      for (let i = 0; i < body.length; i += 65536) {
        const part = body.subarray(i, i + 65536);
        s.write(`${part.length.toString(16)}\r\n`);
        s.write(part);
        s.write("\r\n");
      }
      s.write("0\r\n\r\n");
    } else if (body) s.write(body);
  });
}

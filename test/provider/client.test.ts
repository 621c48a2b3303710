// The platform client on its own, against a scripted HTTP server: Retry-After, dropped
// connections, the request budget, request ids and problem+json errors.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PlatformClient, PlatformError } from "../../provider/client";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server answering each request with the next scripted reply; records what it received. */
async function scripted(replies: ((req: IncomingMessage) => { status: number; body?: unknown; headers?: Record<string, string> } | "drop")[]) {
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)](req);
    if (reply === "drop") return req.socket.destroy();
    res.writeHead(reply.status, { "content-type": reply.status >= 400 ? "application/problem+json" : "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

describe("PlatformClient", () => {
  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    const s = await scripted([() => ({ status: 429, body: { code: "RATE-LIMIT" }, headers: { "retry-after": "1" } }), () => ({ status: 200, body: { ok: true } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-1" });
    const start = Date.now();
    expect(await c.get("/me")).toEqual({ ok: true });
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
    expect(s.seen.map((r) => r.headers["x-request-id"])).toEqual([s.seen[0].headers["x-request-id"], s.seen[0].headers["x-request-id"]]);
  });

  it("retries a POST after a dropped connection with the same idempotency key", async () => {
    const s = await scripted([() => "drop", () => ({ status: 503 }), () => ({ status: 201, body: { id: "u1" } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-2" });
    expect((await c.request("POST", "/users", { body: { email: "a@x.example" } })).body).toEqual({ id: "u1" });
    const keys = s.seen.map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBeTruthy();
  });

  it("maps problem+json to an error with the code and detail, and never the token", async () => {
    const s = await scripted([() => ({ status: 409, body: { status: 409, code: "LIC-1", detail: "no liveAnalytics licence left (5 of 5 in use)" } })]);
    const c = new PlatformClient({ endpoint: s.url, token: "secret-token-3" });
    const err = (await c.request("PATCH", "/users/u1", { body: {} }).catch((e: unknown) => e)) as PlatformError;
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.message).toMatch(/^PATCH \/users\/u1 failed with 409: LIC-1: no liveAnalytics licence left \(5 of 5 in use\) \(request [0-9a-f-]+\)$/);
    expect(err.code).toBe("LIC-1");
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain("secret-token-3");
  });

  it("stops at the request budget with a message saying what to change", async () => {
    const s = await scripted([() => ({ status: 503 })]);
    const c = new PlatformClient({ endpoint: s.url, token: "t", budget: 3, maxDelayMs: 10 });
    await expect(c.get("/users")).rejects.toThrow(/request budget of 3 calls spent before GET \/users; raise analytics-access:requestBudget/);
    expect(s.seen).toHaveLength(3);
  });

  it("gives up after its attempts when nothing answers", async () => {
    const c = new PlatformClient({ endpoint: "http://127.0.0.1:1", token: "secret-token-4", maxAttempts: 2, maxDelayMs: 10 });
    const err = (await c.get("/me").catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/GET \/me: no answer from http:\/\/127\.0\.0\.1:1 after 2 attempts/);
    expect(err.message).not.toContain("secret-token-4");
  });
});

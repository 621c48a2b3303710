// The CLI: `platform token` issues a working token against a file database; `serve` arguments are checked;
// the demo seed is deterministic and within every licence's capacity.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command } from "../../platform/cli";
import { Store } from "../../platform/store";
import { seedDemo, DEMO_LICENCES, startPlatform } from "../../platform/index";
import { client } from "./helpers";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  try { return { code: await command.run(argv), out, err }; } finally { o.mockRestore(); e.mockRestore(); }
}

describe("platform CLI", () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "aa-cli-")); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("token prints a new token bound to the user; the database keeps only its hash", async () => {
    const db = join(dir, "p.db");
    const s = new Store(db);
    seedDemo(s);
    s.close();
    const r = await run(["token", "--db", db, "--tenant", "demo", "--user", "admin@demo.example"]);
    expect(r.code).toBe(0);
    const token = r.out.trim();
    expect(token).toMatch(/^aat_[\w-]{20,}$/);
    const p = await startPlatform({ db, rateLimit: false });
    try {
      const me = await client(p.apiUrl, token)("GET", "/me");
      expect(me.body.user.email).toBe("admin@demo.example");
      const raw = JSON.stringify(p.store.db.prepare("SELECT * FROM tokens").all());
      expect(raw).not.toContain(token);
      expect(JSON.stringify(p.store.listAudit("demo", 0, 10_000))).not.toContain(token);
    } finally { await p.close(); }
    expect((await run(["token", "--db", db, "--tenant", "demo", "--user", "nobody@x"])).code).toBe(1);
    expect((await run(["token", "--db", db])).code).toBe(2);
    expect((await run(["serve", "--port", "nope"])).code).toBe(2);
    expect((await run(["bogus"])).code).toBe(2);
  });

  it("token --expires-in, token list and token revoke: list shows ids and expiry, never a secret; a revoked token stops working", async () => {
    const db = join(dir, "tokens.db");
    const s = new Store(db);
    seedDemo(s);
    s.close();
    const issued = await run(["token", "--db", db, "--tenant", "demo", "--user", "admin@demo.example", "--label", "ci", "--expires-in", "2"]);
    expect(issued.code).toBe(0);
    const token = issued.out.trim();
    const id = /token (tok_[0-9a-f]{16}) expires ([^;\s]+)/.exec(issued.err)!;
    expect(Date.parse(id[2]) - Date.now()).toBeGreaterThan(1.9 * 86_400_000);
    const list = await run(["token", "list", "--db", db, "--tenant", "demo"]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${id[1]}\\s+demo\\s+admin@demo.example\\s+ci\\s+\\S+\\s+\\S+\\s+active`));
    expect(list.out).not.toContain(token);
    const json = JSON.parse((await run(["token", "list", "--db", db, "--json"])).out);
    expect(json.items.find((t: { id: string }) => t.id === id[1])).toMatchObject({ label: "ci", status: "active" });
    const p = await startPlatform({ db, rateLimit: false });
    try {
      expect((await client(p.apiUrl, token)("GET", "/me")).status).toBe(200);
      const revoked = await run(["token", "revoke", id[1], "--db", db]);
      expect(revoked.code).toBe(0);
      expect(revoked.out).toContain(`revoked ${id[1]}`);
      expect((await client(p.apiUrl, token)("GET", "/me")).body.code).toBe("AUTH-REVOKED-TOKEN");
    } finally { await p.close(); }
    expect((await run(["token", "list", "--db", db, "--tenant", "demo"])).out).toMatch(new RegExp(`${id[1]}.*revoked`));
    expect((await run(["token", "revoke", "tok_nope", "--db", db])).code).toBe(1);
    // the same through a running platform's admin API, with the admin key from the environment
    const other = (await run(["token", "--db", db, "--tenant", "demo", "--user", "admin@demo.example", "--label", "api-revoke"])).out.trim();
    const q = await startPlatform({ db, rateLimit: false, adminKey: "cli-test-admin-key-0123456789" });
    const prior = process.env.ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY;
    try {
      expect((await run(["token", "list", "--url", q.url])).code).toBe(2); // no key in the environment
      process.env.ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY = "cli-test-admin-key-0123456789";
      const listed = JSON.parse((await run(["token", "list", "--url", q.url, "--tenant", "demo", "--json"])).out);
      const target = listed.items.find((t: { label: string }) => t.label === "api-revoke");
      expect(target.status).toBe("active");
      expect((await run(["token", "revoke", target.id, "--url", q.url])).out).toContain(`revoked ${target.id}`);
      expect((await client(q.apiUrl, other)("GET", "/me")).body.code).toBe("AUTH-REVOKED-TOKEN");
      process.env.ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY = "wrong-admin-key-0123456789";
      const refused = await run(["token", "list", "--url", q.url]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("ADMIN-CREDENTIAL");
    } finally {
      if (prior === undefined) delete process.env.ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY; else process.env.ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY = prior;
      await q.close();
    }
    expect((await run(["token", "revoke", "--db", db])).code).toBe(2);
    expect((await run(["token", "--db", db, "--tenant", "demo", "--user", "admin@demo.example", "--expires-in", "0"])).code).toBe(2);
  });

  it("the demo tenant: 50 PBX users with devices (some WebRTC), groups, three workspaces, licences within capacity, a bucket", async () => {
    const p = await startPlatform({ demo: true, rateLimit: false });
    try {
      const c = client(p.apiUrl, p.adminToken!);
      const users = (await c("GET", "/users")).body.items;
      expect(users.filter((u: { origin: string }) => u.origin === "pbx")).toHaveLength(50);
      const dir = (await c("GET", "/directory")).body.items;
      expect(dir).toHaveLength(50);
      expect(dir.some((d: { devices: { webrtc: boolean }[] }) => d.devices.some((x) => x.webrtc))).toBe(true);
      expect((await c("GET", "/groups")).body.items.length).toBeGreaterThanOrEqual(3);
      expect((await c("GET", "/workspaces")).body.items).toHaveLength(3);
      expect((await c("GET", "/tenant")).body.recordingBucket).toEqual(expect.any(String));
      const lic = (await c("GET", "/licences")).body.items;
      expect(Object.fromEntries(lic.map((l: { key: string; capacity: number }) => [l.key, l.capacity]))).toEqual(DEMO_LICENCES);
      for (const l of lic) expect(l.inUse).toBeLessThanOrEqual(l.capacity);
      // deterministic: a second seed has the same users
      const q = await startPlatform({ demo: true, rateLimit: false });
      try {
        const again = (await client(q.apiUrl, q.adminToken!)("GET", "/users")).body.items;
        const strip = (xs: any[]) => xs.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
        expect(strip(again)).toEqual(strip(users));
      } finally { await q.close(); }
    } finally { await p.close(); }
  });
});

// Durability: the platform runs as a child process on a file database; workers write under load; the
// child is killed with SIGKILL mid-flight; a restarted platform must hold every acknowledged write,
// and nothing torn (each row agrees with its audit entry; idempotency records survived).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { client } from "./helpers";
import { Store } from "../../platform/store";
import { issueToken } from "../../platform/tenants";

const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "dist/cli/index.js");

/** The child runs compiled JS: build when dist is missing or older than the platform's sources. */
function ensureBuilt(): void {
  const src = readdirSync(join(ROOT, "platform"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => statSync(join(ROOT, "platform", f)).mtimeMs);
  const out = join(ROOT, "dist/platform/server.js");
  if (existsSync(CLI) && existsSync(out) && statSync(out).mtimeMs >= Math.max(...src)) return;
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "pipe", timeout: 180_000 });
  } catch { /* type errors elsewhere in the project still emit JS; checked below */ }
  if (!existsSync(out)) throw new Error("could not build dist/platform (run npm run build)");
}

function startChild(db: string): Promise<{ child: ChildProcess; apiUrl: string; token: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [CLI, "platform", "serve", "--demo", "--db", db, "--port", "0", "--rate-limit", "off"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`platform did not start: ${out} ${err}`)); }, 20_000);
    child.stderr!.on("data", (d) => { err += String(d); });
    child.stdout!.on("data", (d) => {
      out += String(d);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const token = /admin token: (\S+)/.exec(out)?.[1];
      if (url && token) { clearTimeout(timer); resolveStart({ child, apiUrl: `${url}/api/v1`, token }); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`platform exited (${code}): ${out} ${err}`)); });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((r) => { if (child.exitCode !== null || child.signalCode !== null) r(); else { child.once("exit", () => r()); child.kill("SIGKILL"); } });
}

describe("durability across SIGKILL", () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => { ensureBuilt(); dir = mkdtempSync(join(tmpdir(), "aa-platform-")); });
  afterAll(async () => { for (const c of children) await killed(c); rmSync(dir, { recursive: true, force: true }); });

  it("keeps every acknowledged write and no torn one", async () => {
    const db = join(dir, "platform.db");
    const first = await startChild(db);
    children.push(first.child);
    // A token of its own (each `serve --demo` revokes the previous start's demo token), issued on the live database
    const s = new Store(db);
    const token = issueToken(s, "demo", "admin@demo.example", "durability test");
    s.close();
    const call = client(first.apiUrl, token);
    const pbx = (await call("GET", "/users?limit=500")).body.items.filter((u: { origin: string }) => u.origin === "pbx").slice(10, 18);
    const groups = (await call("GET", "/groups")).body.items.map((g: { id: string }) => g.id);

    const created: { key: string; body: any; res: any }[] = [];
    const patched = new Map<string, any>(); // user id -> last acknowledged view
    let stop = false;
    const createWorker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const body = { displayName: `Load ${w}-${i}`, email: `load-${w}-${i}@demo.example`, roles: ["customer.permission.website"] };
        const key = `load-${w}-${i}`;
        try {
          const r = await call("POST", "/users", body, { "Idempotency-Key": key });
          if (r.status !== 201) throw new Error(`unexpected ${r.status}`);
          created.push({ key, body, res: r.body });
        } catch { return; }
      }
    };
    const patchWorker = async (u: { id: string }) => {
      for (let i = 0; !stop; i++) {
        // several fields in one write: roles, softphone-free tier change, group and primary group together
        const g = groups[i % groups.length];
        const roles = i % 2 ? ["customer.user.pbx", "customer.supervisor.reports"] : ["customer.user.pbx", "customer.permission.website"];
        try {
          const r = await call("PATCH", `/users/${u.id}`, { roles, groups: [g], primaryGroup: g });
          if (r.status !== 200) throw new Error(`unexpected ${r.status} ${JSON.stringify(r.body)}`);
          patched.set(u.id, r.body);
        } catch (e) { if (!stop) console.log("patch failed", String(e)); return; }
      }
    };
    const workers = [...[0, 1, 2, 3].map(createWorker), ...pbx.map(patchWorker)];
    // kill mid-load, once there is something to check (fsync-bound disks are slow: wait for acks, not a fixed time)
    const t0 = Date.now();
    while ((created.length < 30 || patched.size < pbx.length) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 20));
    first.child.kill("SIGKILL");
    stop = true;
    await Promise.all(workers);
    await killed(first.child);
    expect(created.length).toBeGreaterThan(10);
    expect(patched.size).toBe(pbx.length);

    const second = await startChild(db);
    children.push(second.child);
    const call2 = client(second.apiUrl, second.token);
    const users = new Map<string, any>((await call2("GET", "/users?limit=500")).body.items.map((u: { id: string }) => [u.id, u]));
    const audit: any[] = [];
    for (let cursor: string | null = null; ;) {
      const page: any = await call2("GET", `/audit?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
      audit.push(...page.body.items);
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }

    // every acknowledged create is there, exactly as acknowledged
    for (const c of created) expect(users.get(c.res.id)).toEqual(c.res);
    // every acknowledged patch is there, or a later one (the request in flight at the kill may have committed)
    for (const [id, view] of patched) {
      const now = users.get(id);
      expect(Number(JSON.parse(now.etag))).toBeGreaterThanOrEqual(Number(JSON.parse(view.etag)));
      if (now.etag === view.etag) expect(now).toEqual(view);
    }
    // nothing torn: each load user has exactly one create audit entry agreeing with the row, and each
    // patched user's row equals the `after` of its latest audit entry
    const loadUsers = [...users.values()].filter((u) => u.email.startsWith("load-"));
    for (const u of loadUsers) {
      const entries = audit.filter((e) => e.entityId === u.id);
      expect(entries.map((e) => e.action)).toEqual(["user.create"]);
      expect(entries[0].after).toEqual(u);
    }
    expect(audit.filter((e) => e.action === "user.create" && e.after.email.startsWith("load-")).length).toBe(loadUsers.length);
    for (const id of patched.keys()) {
      const last = audit.filter((e) => e.entityId === id).at(-1);
      expect(last.after).toEqual(users.get(id));
    }
    // idempotency records survived: replaying an acknowledged create returns the first result, writes nothing
    const sample = created[created.length - 1];
    // (keys are per token: replay with the first run's token, which survived the restart too; the demo token did not)
    expect((await client(second.apiUrl, first.token)("GET", "/me")).body.code).toBe("AUTH-REVOKED-TOKEN");
    const replay = await client(second.apiUrl, token)("POST", "/users", sample.body, { "Idempotency-Key": sample.key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(sample.res);
    expect((await call2("GET", "/users?limit=500")).body.items.length).toBe(users.size);
    await killed(second.child);

    const store = new Store(db);
    try {
      expect((store.db.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check).toBe("ok");
    } finally { store.close(); }
  }, 60_000);
});

// Throughput of the reference platform: GET of a 500-user page and PATCH of one user, over real HTTP.
// Rate limit disabled. Runs the compiled platform (npm run build first):
//   node_modules/.bin/node --experimental-strip-types bench/platform.ts [--seconds 3] [--concurrency 4] [--memory]
// Not a vitest file. Prints requests per second per operation.
import type { RunningPlatform } from "../platform/index";

const { startPlatform } = require("../dist/platform/index.js") as { startPlatform: (o: object) => Promise<RunningPlatform> };
const { mkdtempSync, rmSync } = require("node:fs") as typeof import("node:fs");
const { tmpdir } = require("node:os") as typeof import("node:os");
const { join } = require("node:path") as typeof import("node:path");

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith("--") ? process.argv[i + 1] : process.argv.includes(`--${name}`) ? "true" : def;
}

async function measure(label: string, seconds: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    for (let i = w; Date.now() < until; i += concurrency) { await op(i); done++; }
  }));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(`${label.padEnd(44)} ${String(done).padStart(7)} requests in ${s.toFixed(2)} s = ${(done / s).toFixed(0).padStart(6)} req/s (${(1000 * s / done * concurrency).toFixed(2)} ms mean latency)\n`);
}

async function main(): Promise<void> {
  const seconds = Number(arg("seconds", "3"));
  const concurrency = Number(arg("concurrency", "4"));
  const memory = arg("memory", "false") === "true";
  const dir = mkdtempSync(join(tmpdir(), "aa-bench-"));
  const db = memory ? ":memory:" : join(dir, "bench.db");
  const p = await startPlatform({ db, rateLimit: false });
  try {
    const t = p.createTenant({ id: "bench", name: "Bench", profile: "dimensions" });
    for (let i = 0; i < 500; i++) {
      const ext = String(1000 + i);
      p.addDirectoryEntry(t.id, { extension: ext, displayName: `User ${ext}`, email: `u${ext}@bench.example`, devices: [{ id: `d${ext}`, name: "Desk", webrtc: false }] });
    }
    p.createPortalUser(t.id, { email: "admin@bench.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
    const token = p.issueToken(t.id, "admin@bench.example");
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const first = await fetch(`${p.apiUrl}/users?limit=500`, { headers }).then((r) => r.json()) as { items: { id: string; origin: string }[] };
    const target = first.items.find((u) => u.origin === "pbx")!.id;
    process.stdout.write(`platform bench: ${db === ":memory:" ? "in-memory SQLite" : `SQLite file (WAL, synchronous=FULL) ${db}`}, ${first.items.length} users on the page, concurrency ${concurrency}, ${seconds} s per operation, Node ${process.version}\n`);

    await measure("GET /users?limit=500 (500-user page)", seconds, concurrency, async () => {
      const r = await fetch(`${p.apiUrl}/users?limit=500`, { headers });
      if (r.status !== 200) throw new Error(`GET ${r.status}`);
      await r.arrayBuffer();
    });
    await measure("PATCH /users/{id} (one user, alternating roles)", seconds, concurrency, async (i) => {
      const roles = i % 2 ? ["customer.user.pbx", "customer.permission.website"] : ["customer.user.pbx", "customer.supervisor.reports"];
      const r = await fetch(`${p.apiUrl}/users/${target}`, { method: "PATCH", headers, body: JSON.stringify({ roles }) });
      if (r.status !== 200) throw new Error(`PATCH ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { process.stderr.write(`bench/platform: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; });

/**
 * `review` and `export` of a live tenant of 10,000 and 100,000 users, each beside its baseline in
 * the same run: a plain fetch (fetch + JSON parse) of exactly the pages the command read, each
 * collection's pages one after another (the platform's cursors are opaque: a page names the next,
 * so pages of one collection cannot be fetched concurrently) and the collections side by side.
 * Goal: the review ≤ 1.5 × that fetch at 100,000 users. The platform runs in this process with
 * rate limiting off; the review's manifest declares 1,000 of the users with a tier raised.
 *
 * Run (after `npm run build`):  node bench/review.ts [--sizes 10000,100000] [--declared 1000] [--rounds 3]
 */
import type { RunningPlatform } from "../platform/index";

const { startPlatform } = require("../dist/platform/index.js") as { startPlatform: (o: object) => Promise<RunningPlatform> };
const { renderManifest } = require("../dist/manifest/index.js");
const review = require("../dist/cli/review.js").command;
const exporter = require("../dist/cli/export.js").command;
const { mkdtempSync, rmSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
const { tmpdir } = require("node:os") as typeof import("node:os");
const { join } = require("node:path") as typeof import("node:path");

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const quiet = { out: () => {}, err: () => {} };
const noTty = { stream: { isTTY: false, write: () => true } };

/** Records the URLs the command requests (through the global fetch the client uses). */
function recording<T>(run: () => Promise<T>): Promise<{ value: T; urls: string[] }> {
  const real = globalThis.fetch;
  const urls: string[] = [];
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    urls.push(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return real(input, init);
  }) as typeof fetch;
  return run().then((value) => ({ value, urls }), (e) => { throw e; }).finally(() => { globalThis.fetch = real; });
}

/** The same URLs fetched plainly: per path one after another, the paths concurrently. */
async function plainFetch(urls: string[], token: string): Promise<number> {
  const byPath = new Map<string, string[]>();
  for (const u of urls) { const p = new URL(u).pathname; byPath.set(p, [...(byPath.get(p) ?? []), u]); }
  const start = performance.now();
  await Promise.all([...byPath.values()].map(async (list) => {
    for (const u of list) await (await fetch(u, { headers: { authorization: `Bearer ${token}` } })).json();
  }));
  return performance.now() - start;
}

/** The command and its baseline alternately, `ROUNDS` times each; the best of each (a shared machine's noise only ever adds). */
const ROUNDS = Number(arg("rounds", "3"));
async function timed(label: string, baseline: (urls: string[]) => Promise<number>, run: () => Promise<number>): Promise<{ ms: number; fetchMs: number }> {
  let ms = Infinity, fetchMs = Infinity, exit = 0, requests = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const { value: code, urls } = await recording(async () => { const s = performance.now(); const c = await run(); return { c, ms: performance.now() - s }; });
    ms = Math.min(ms, code.ms);
    fetchMs = Math.min(fetchMs, await baseline(urls));
    exit = code.c;
    requests = urls.length;
  }
  console.log(`  ${label.padEnd(8)} ${(ms / 1000).toFixed(2)} s = ${(ms / fetchMs).toFixed(2)} × a plain fetch of its ${requests} requests (${(fetchMs / 1000).toFixed(2)} s); best of ${ROUNDS} each; exit ${exit}`);
  return { ms, fetchMs };
}

async function once(n: number, declared: number, dir: string): Promise<{ review: number; exp: number; reviewFetch: number; expFetch: number }> {
  const p = await startPlatform({ rateLimit: false });
  try {
    const t = p.createTenant({ name: `bench-${n}`, profile: "dimensions", licences: { analytics: n } });
    p.store.tx(() => { for (let i = 0; i < n; i++) p.addDirectoryEntry(t.id, { extension: String(1000000 + i), displayName: `User ${i}`, email: `u${i}@bench.example` }); });
    p.createPortalUser(t.id, { email: "admin@bench.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
    const token = p.issueToken(t.id, "admin@bench.example");
    const file = join(dir, `access-${n}.yaml`);
    writeFileSync(file, renderManifest({ version: 1, profile: "dimensions", groups: [], workspaces: [], roles: [], users: Array.from({ length: declared }, (_, i) => ({ extension: String(1000000 + i), tier: "analytics" })) }));
    process.env.ANALYTICS_ACCESS_TOKEN = token;
    const baseline = (urls: string[]) => plainFetch(urls, token);
    console.log(`${n} users (review declares ${declared} of them):`);
    await plainFetch([`${p.apiUrl}/users?limit=500`], token); // warm-up
    const r = await timed("review", baseline, () => review.run([file, "--endpoint", p.url, "--out", join(dir, "review.md")], quiet, { progress: noTty }));
    const e = await timed("export", baseline, () => exporter.run(["--endpoint", p.url, "--out", join(dir, "export.yaml")], quiet));
    return { review: r.ms, reviewFetch: r.fetchMs, exp: e.ms, expFetch: e.fetchMs };
  } finally {
    await p.close();
  }
}

(async () => {
  const dir = mkdtempSync(join(tmpdir(), "aa-bench-review-"));
  try {
    const sizes = arg("sizes", "10000,100000").split(",").map(Number);
    const results = [];
    for (const n of sizes) results.push({ n, ...(await once(n, Number(arg("declared", "1000")), dir)) });
    for (let i = 1; i < results.length; i++) {
      const a = results[i - 1], b = results[i];
      console.log(`growth ${a.n} → ${b.n} users (× ${b.n / a.n}): review × ${(b.review / a.review).toFixed(2)}, export × ${(b.exp / a.exp).toFixed(2)}, plain fetch × ${(b.reviewFetch / a.reviewFetch).toFixed(2)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => { console.error(e); process.exitCode = 1; });

/**
 * What the provider costs: `__provider` bytes stored per resource for each kind, and a refresh of
 * 1,000 / 10,000 / 100,000 users: the User handler's `read` for every user, in-process with one
 * session (what one dynamic-provider host serves in one `pulumi refresh`), against the platform in
 * the same process with rate limiting off. Beside each: platform calls, and a plain fetch of the
 * same pages in the same run (the baseline: what reading the tenant costs at all); then the growth
 * 10k → 100k (goal: linear, ≤ 11 ×).
 *
 * Run (after `npm run build`):  node bench/refresh.ts [--sizes 1000,10000,100000]
 */
const { startPlatform } = require("../dist/platform/index.js");
const { handler } = require("../dist/provider/resources/user.js");
const { resetSession } = require("../dist/provider/session.js");
const { providerFor } = require("analytics-access/provider/runtime/stub");
const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure");

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function providerBytes(): Promise<void> {
  console.log("__provider bytes per resource (as the SDK serializes it for state)");
  for (const kind of ["user", "group", "workspace", "workspace-grant", "role"]) {
    const provider = providerFor(kind);
    const { text } = await serializeFunction(() => provider, { allowSecrets: true });
    console.log(`  ${kind.padEnd(16)} ${String(Buffer.byteLength(text)).padStart(5)} B`);
  }
}

/** Every page of a collection, parsed, one after another (the cursor of one page names the next). */
async function fetchAll(apiUrl: string, token: string, path: string): Promise<{ id: string; origin: string }[]> {
  const items: { id: string; origin: string }[] = [];
  for (let cursor: string | null = null; ;) {
    const res = await fetch(`${apiUrl}${path}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { items: { id: string; origin: string }[]; nextCursor?: string | null };
    items.push(...page.items);
    if (!(cursor = page.nextCursor ?? null)) break;
  }
  return items;
}

interface Result { n: number; ms: number; fetchMs: number; calls: number }

async function refresh(n: number): Promise<Result> {
  const p = await startPlatform({ rateLimit: false });
  try {
    const t = p.createTenant({ name: `bench-${n}`, profile: "dimensions" });
    p.store.tx(() => { for (let i = 0; i < n; i++) p.addDirectoryEntry(t.id, { extension: String(1000000 + i), displayName: `User ${i}`, email: `u${i}@bench.example` }); });
    p.createPortalUser(t.id, { email: "admin@bench.example", roles: ["customer.permission.website", "customer.permission.users"] });
    const token = p.issueToken(t.id, "admin@bench.example");
    // The baseline: the pages a refresh reads (the users, the groups, the tenant), fetched plainly.
    const plain = async () => {
      const s = performance.now();
      const [users] = await Promise.all([fetchAll(p.apiUrl, token, "/users"), fetchAll(p.apiUrl, token, "/groups"), fetch(`${p.apiUrl}/tenant`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())]);
      return { ms: performance.now() - s, ids: users.filter((u) => u.origin === "pbx").map((u) => u.id) };
    };
    const { ids } = await plain(); // warm-up
    const fetched = await plain();
    resetSession({ endpoint: p.url, token, licenceWaitMs: 0 });
    p.resetStats();
    const start = performance.now();
    await Promise.all(ids.map((id) => handler.read(id, { origin: "pbx", onExisting: "adopt" })));
    const ms = performance.now() - start;
    const calls = p.stats().total;
    const again = await plain();
    const fetchMs = Math.min(fetched.ms, again.ms);
    console.log(
      `refresh of ${String(n).padStart(6)} users: ${String(calls).padStart(4)} platform calls (bound: pages of the tenant's ${n + 1} users + groups + tenant = ${Math.ceil((n + 1) / 500) + 2}), ` +
        `${(ms / 1000).toFixed(2)} s = ${(ms / fetchMs).toFixed(2)} × a plain fetch of the same pages (${(fetchMs / 1000).toFixed(2)} s), ${((ms * 1000) / n).toFixed(0)} µs per user`,
    );
    return { n, ms, fetchMs, calls };
  } finally {
    await p.close();
  }
}

(async () => {
  await providerBytes();
  const results: Result[] = [];
  for (const n of arg("sizes", "1000,10000,100000").split(",").map(Number)) results.push(await refresh(n));
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1], b = results[i];
    console.log(`growth ${a.n} → ${b.n} users (× ${b.n / a.n}): refresh × ${(b.ms / a.ms).toFixed(2)}, plain fetch × ${(b.fetchMs / a.fetchMs).toFixed(2)}, calls × ${(b.calls / a.calls).toFixed(2)}`);
  }
})().catch((e) => { console.error(e); process.exitCode = 1; });

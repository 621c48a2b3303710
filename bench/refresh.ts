/**
 * What the provider costs: `__provider` bytes stored per resource for each kind, and platform
 * calls (and time) for a refresh of 1,000 and 10,000 users: the User handler's `read` for every
 * user, in-process with one session (what one dynamic-provider host serves in one `pulumi refresh`).
 *
 * Run (after `npm run build`):  node bench/refresh.ts
 */
const { startPlatform } = require("../dist/platform/index.js");
const { handler } = require("../dist/provider/resources/user.js");
const { resetSession } = require("../dist/provider/session.js");
const { providerFor } = require("analytics-access/provider/runtime/stub");
const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure");

async function providerBytes(): Promise<void> {
  console.log("__provider bytes per resource (as the SDK serializes it for state)");
  for (const kind of ["user", "group", "workspace", "workspace-grant", "role"]) {
    const provider = providerFor(kind);
    const { text } = await serializeFunction(() => provider, { allowSecrets: true });
    console.log(`  ${kind.padEnd(16)} ${String(Buffer.byteLength(text)).padStart(5)} B`);
  }
}

async function refresh(n: number): Promise<void> {
  const p = await startPlatform({ rateLimit: false });
  try {
    const t = p.createTenant({ name: `bench-${n}`, profile: "dimensions" });
    p.store.tx(() => { for (let i = 0; i < n; i++) p.addDirectoryEntry(t.id, { extension: String(100000 + i), displayName: `User ${i}`, email: `u${i}@bench.example` }); });
    p.createPortalUser(t.id, { email: "admin@bench.example", roles: ["customer.permission.website", "customer.permission.users"] });
    const token = p.issueToken(t.id, "admin@bench.example");
    const ids: string[] = [];
    for (let cursor: string | null = null; ;) {
      const res = await fetch(`${p.apiUrl}/users?limit=500${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${token}` } });
      const page = (await res.json()) as { items: { id: string; origin: string }[]; nextCursor: string | null };
      ids.push(...page.items.filter((u) => u.origin === "pbx").map((u) => u.id));
      if (!(cursor = page.nextCursor)) break;
    }
    resetSession({ endpoint: p.url, token, licenceWaitMs: 0 });
    p.resetStats();
    const start = performance.now();
    await Promise.all(ids.map((id) => handler.read(id, { origin: "pbx", onExisting: "adopt" })));
    const ms = performance.now() - start;
    const calls = p.stats().total;
    console.log(`refresh of ${n} users: ${calls} platform calls (bound: pages of the tenant's ${n + 1} users + groups + tenant = ${Math.ceil((n + 1) / 500) + 2}), ${(ms / 1000).toFixed(2)} s`);
  } finally {
    await p.close();
  }
}

(async () => {
  await providerBytes();
  for (const n of [1000, 10000]) await refresh(n);
})().catch((e) => { console.error(e); process.exitCode = 1; });

// Pacing of PlatformClient against a rate-limited platform: 1,000 users PATCHed (with If-Match, as
// the provider updates them) by 8 concurrent workers sharing one client, as a Pulumi `up` does, with
// the platform limited to R requests per second. Prints requests sent, 429s, failures, and wall
// time against N/R (the goal: ≤ 1.1 × N/R, ≤ 1.1 requests per user, no failure).
// Runs the compiled code (npm run build first):
//   node bench/pacing.ts [--users 1000] [--rates 50,100] [--workers 8] [--burst <requests; default R>]
// Not a vitest file.
import type { RunningPlatform } from "../platform/index";
import type { PlatformClient as Client, ClientOptions } from "../provider/client";

const { startPlatform } = require("../dist/platform/index.js") as { startPlatform: (o: object) => Promise<RunningPlatform> };
const { PlatformClient } = require("../dist/provider/client.js") as { PlatformClient: new (o: ClientOptions) => Client };

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function once(users: number, rate: number, workers: number, burst: number): Promise<void> {
  const p = await startPlatform({ rateLimit: false });
  try {
    const t = p.createTenant({ id: "bench", name: "Bench", profile: "dimensions" });
    for (let i = 0; i < users; i++) {
      const ext = String(10_000 + i);
      p.addDirectoryEntry(t.id, { extension: ext, displayName: `User ${ext}`, email: `u${ext}@bench.example`, devices: [{ id: `d${ext}`, name: "Desk", webrtc: false }] });
    }
    p.createPortalUser(t.id, { email: "admin@bench.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
    const token = p.issueToken(t.id, "admin@bench.example");
    p.setRateLimit({ perMinute: rate * 60, burst });

    let refused = 0, failures = 0, reads = 0;
    const errors = new Map<string, number>();
    const c = new PlatformClient({ endpoint: p.url, token, onResponse: (r) => { if (r.status === 429) refused++; if (r.method === "GET" && r.status === 200) reads++; } });
    const start = performance.now();
    const list = (await c.list<{ id: string; etag: string; origin: string }>("/users")).filter((u) => u.origin === "pbx");
    let next = 0;
    await Promise.all(Array.from({ length: workers }, async () => {
      while (next < list.length) {
        const i = next++;
        const roles = i % 2 ? ["customer.user.pbx", "customer.permission.website"] : ["customer.user.pbx", "customer.supervisor.reports"];
        try {
          await c.request("PATCH", `/users/${list[i].id}`, { body: { roles }, ifMatch: list[i].etag });
        } catch (err) {
          failures++;
          const key = (err as Error).message.replace(/\(request [^)]*\)|usr_\d+/g, "…").slice(0, 160);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }));
    const wall = (performance.now() - start) / 1000;
    const ideal = users / rate;
    process.stdout.write(
      `R=${String(rate).padStart(3)} req/s burst ${String(burst).padStart(3)}: ${users} PATCHes (+ ${reads} list pages), ${workers} workers: `
      + `${c.sent} requests sent (${(c.sent / users).toFixed(3)} per user), ${refused} × 429, ${failures} failed, `
      + `${wall.toFixed(2)} s wall vs N/R ${ideal.toFixed(2)} s = ${(wall / ideal).toFixed(3)} × N/R\n`);
    for (const [msg, n] of errors) process.stdout.write(`    ${n} × ${msg}\n`);
  } finally {
    await p.close();
  }
}

async function main(): Promise<void> {
  const users = Number(arg("users", "1000"));
  const workers = Number(arg("workers", "8"));
  const rates = arg("rates", "50,100").split(",").map(Number);
  process.stdout.write(`pacing bench: Node ${process.version}, in-memory platform, one PlatformClient shared by ${workers} workers\n`);
  for (const rate of rates) await once(users, rate, workers, Number(arg("burst", String(rate))));
}

main().catch((err: unknown) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });

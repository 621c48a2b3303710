/**
 * `pulumi up` of N users through the engine model (test/support/engine: Pulumi's engine order,
 * a write pool of --parallel = 4 × CPUs, the real SDK and dynamic-provider host) against the
 * embedded platform, rate-limited to R requests/s and run as a process of its own (a portal is
 * not on the machine that runs Pulumi). Prints requests per user (goal ≤ 1.1), 429s, failures
 * and wall time against N/R (goal ≤ 1.1 × N/R), split into the program's own start and the
 * engine's steps.
 *
 *   npm run build && npx vitest run --config bench/vitest.config.mts
 *   BENCH_USERS=1000 BENCH_RATES=100,50 BENCH_TENANTS=1000,10000 (defaults)
 *
 * For each tenant size T (its users; the stack declares N of them) and rate R, two runs on one
 * stack: the first `up` adopts N PBX users (one PATCH each), the second raises every user's tier
 * (one PATCH each). The last lines compare the larger tenants with the first (goal: the same N
 * changes in a 10,000-user tenant within 1.2 × of the 1,000-user one).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "vitest";
import { startPlatform, type Stats } from "../platform";
import { REPO_ROOT, Stack, defaultParallel } from "../test/support/engine";
import { declaredProject, type Declared } from "../test/support/projects";

const N = Number(process.env.BENCH_USERS ?? 1000);
const RATES = (process.env.BENCH_RATES ?? process.env.BENCH_RATE ?? "100,50").split(",").map(Number);
const TENANTS = (process.env.BENCH_TENANTS ?? `${N},10000`).split(",").map(Number).filter((t, i, all) => t >= N && all.indexOf(t) === i);

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

/** The tenant, written to a database file the platform process then serves. */
async function seed(db: string, T: number): Promise<string> {
  const p = await startPlatform({ db, rateLimit: false });
  const tenant = p.createTenant({ name: "Bench", profile: "dimensions", licences: { analytics: T } });
  p.store.tx(() => {
    for (let i = 0; i < T; i++) p.addDirectoryEntry(tenant.id, { extension: String(10000 + i), displayName: `User ${i}`, email: `u${i}@bench.example` });
  });
  p.createPortalUser(tenant.id, { email: "admin@bench.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
  const token = p.issueToken(tenant.id, "admin@bench.example");
  await p.close();
  return token;
}

interface Phase { T: number; R: number; label: string; perUser: number; apply: number; failed: number; refused: number }
const phases: Phase[] = [];

async function run(T: number, R: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-bench-up-"));
  const db = path.join(dir, "platform.db");
  const token = await seed(db, T);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // the admin routes take the platform's admin credential: fixed here through the environment
  const adminKey = `aak_bench_${randomBytes(16).toString("hex")}`;
  const server = spawn(process.execPath, [path.join(REPO_ROOT, "dist/cli/index.js"), "platform", "serve", "--db", db, "--port", String(port)], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY: adminKey } });
  try {
    await new Promise<void>((resolve) => server.stdout!.once("data", () => resolve()));
    const admin = async (method: string, route: string, body?: unknown) => (await fetch(`${url}/api/v1/admin/${route}`, { method, headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` }, body: body === undefined ? undefined : JSON.stringify(body) })).json();
    await admin("POST", "rate-limit", { perMinute: R * 60, burst: R, enabled: true });
    const users = (tier: string): Declared[] => Array.from({ length: N }, (_, i) => ({ kind: "User", name: `u${i}`, args: { extension: String(10000 + i), tier } }));
    const p = declaredProject({ resources: users("reports") });
    const stack = new Stack({ dir: p.dir, stack: "bench", config: { "analytics-access:endpoint": url }, secrets: { "analytics-access:token": token } });
    console.log(`T = ${T} users in the tenant, N = ${N} declared, R = ${R} requests/s (token bucket ${R * 60}/min, burst ${R}), --parallel ${defaultParallel()}, ${os.availableParallelism()} CPUs; N/R = ${(N / R).toFixed(1)} s`);

    for (const [label, tier] of [["adopt (first up)", "reports"], ["raise every tier", "analytics"]] as const) {
      p.declare({ resources: users(tier) });
      await admin("POST", "stats/reset");
      const start = performance.now();
      const up = await stack.up({ timeoutMs: 30 * 60_000 });
      const wall = (performance.now() - start) / 1000;
      const stats = (await admin("GET", "stats")) as Stats;
      const failed = up.steps.filter((s) => s.error).length;
      const written = up.calls.filter((c) => c.method === "update" || c.method === "create");
      const checks = up.calls.filter((c) => c.method === "check");
      // Phases: the program constructing its resources until the first reaches the engine (the
      // SDK's own cost per resource), then the engine's steps from the first Check to the last write.
      const program = (checks[0].start - start) / 1000;
      const apply = (Math.max(...written.map((c) => c.end)) - checks[0].start) / 1000;
      const perCheck = checks.reduce((a, c) => a + c.end - c.start, 0) / checks.length;
      console.log(
        `${label}: ok=${up.ok}, ${written.length} writes, ${failed} failed; ${stats.total} requests = ${(stats.total / N).toFixed(3)} per user, ${stats.rateLimited} answered 429\n` +
          `  wall ${wall.toFixed(1)} s = ${(wall / (N / R)).toFixed(2)} × N/R: program until its first resource reached the engine ${program.toFixed(1)} s, ` +
          `first Check to last write ${apply.toFixed(1)} s = ${(apply / (N / R)).toFixed(2)} × N/R (Check ${perCheck.toFixed(1)} ms each, one at a time)`,
      );
      phases.push({ T, R, label, perUser: stats.total / N, apply, failed, refused: stats.rateLimited });
      if (!up.ok) console.log(up.text().split("\n").filter((l) => l.startsWith("error")).slice(0, 5).join("\n"));
    }
  } finally {
    server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test(`up of ${N} users at ${RATES.join(", ")} requests/s in tenants of ${TENANTS.join(", ")} users`, async () => {
  for (const T of TENANTS) for (const R of RATES) await run(T, R);
  for (const p of phases.filter((x) => x.T !== TENANTS[0])) {
    const base = phases.find((x) => x.T === TENANTS[0] && x.R === p.R && x.label === p.label);
    if (base)
      console.log(`${p.label}, R = ${p.R}: ${p.T}-user tenant vs ${base.T}: first Check to last write ${p.apply.toFixed(1)} s vs ${base.apply.toFixed(1)} s = ${(p.apply / base.apply).toFixed(2)} ×; ${p.perUser.toFixed(3)} vs ${base.perUser.toFixed(3)} requests per change; ${p.failed} vs ${base.failed} failed`);
  }
});

// Bench: `validate --tenant` at the cost of reading. For 1,000, 10,000 and 100,000 users it writes a
// manifest and a tenant facts file, then times, each in its own child process (so each has its own
// peak RSS): reading both files with js-yaml (the baseline, measured in this same run), validating
// the clean manifest, and validating it with 1, 100 and 10,000 problems, either rule violations
// (GRP-1, the rules run) or shape problems (a misspelt key, the rules do not run).
//   npm run build && node bench/validate.ts [max users, default 100000] [--keep: leave the files, for profiling]
// Each figure is printed beside its baseline; the goals (issue 13): clean ≤ 1.5× the baseline in
// time, and any number of problems ≤ 1.5× the clean run in time and in peak RSS. Problems are
// placed with a fixed seed. Timing starts before the first `require` of the code that does the
// work (js-yaml or the CLI command), so both sides include their module loading, not Node's boot.
/* eslint-disable @typescript-eslint/no-require-imports */
const { spawnSync }: typeof import("node:child_process") = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync }: typeof import("node:fs") = require("node:fs");
const { tmpdir }: typeof import("node:os") = require("node:os");
const { join }: typeof import("node:path") = require("node:path");

const GROUPS = 50;
const WORKSPACES = 20;
const TIERS = ["none", "reports", "analytics", "liveAnalytics", "contactCenter"];
const SEED = 13;

type Kind = "rule" | "shape";

/** The platform's seeded PRNG (mulberry32), so every run places the same problems. */
const rng: (seed: number) => () => number = (require("../dist/platform/faults.js") as typeof import("../platform/faults")).seededRandom;

/** `k` distinct users out of `n`, by the fixed seed. */
function pick(n: number, k: number): Set<number> {
  const idx = Array.from({ length: n }, (_, i) => i);
  const r = rng(SEED);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(r() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return new Set(idx.slice(0, k));
}

/**
 * The manifest: 80% PBX users (in the directory), 20% manual users; groups, workspaces with
 * members, roles. Users in `bad` get one problem each: a primary group that is not one of theirs
 * (rule GRP-1), or a misspelt `websiteAcess` (shape, UNKNOWN-KEY).
 */
function manifestText(n: number, bad: Set<number>, kind: Kind): string {
  const out: string[] = ["# yaml-language-server: $schema=../schema/manifest.schema.json", "profile: dimensions", "groups:"];
  for (let g = 0; g < GROUPS; g++) out.push(`  - name: group-${g}`, `    description: Group number ${g}`);
  out.push("roles:", "  - name: team-lead", "    tier: analytics", "    permissions:", "      websiteAccess: true", "      workspaceAdministrator: true",
    "  - name: supervisor", "    tier: liveAnalytics", "    addOns: [agent]");
  out.push("workspaces:");
  for (let w = 0; w < WORKSPACES; w++) {
    out.push(`  - name: workspace-${w}`, "    members:");
    for (let m = 0; m < 100; m++) out.push(`      - user: user${(w * 100 + m) % n}@example.com`, `        access: ${m % 10 ? "view" : "admin"}`);
  }
  out.push("users:");
  for (let i = 0; i < n; i++) {
    const pbx = i % 5 !== 0;
    const g = `group-${i % GROUPS}`;
    const broken = bad.has(i);
    if (pbx) out.push(`  - extension: "${100000 + i}"`, `    email: user${i}@example.com`);
    else out.push(`  - email: user${i}@example.com`, `    displayName: Manual User ${i}`);
    if (pbx && i % 7 === 0) out.push("    accessType: professional");
    out.push(`    tier: ${i < 2000 ? "analytics" : pbx ? TIERS[i % 5] : "reports"}`);
    out.push("    permissions:", `      ${broken && kind === "shape" ? "websiteAcess" : "websiteAccess"}: true`, `      manageContactDirectories: ${i % 3 === 0}`);
    if (i % 50 === 0) out.push("      recordingPlayback: own");
    out.push(`    groups: [${g}, group-${(i + 1) % GROUPS}]`, `    primaryGroup: ${broken && kind === "rule" ? `group-${(i + 2) % GROUPS}` : g}`);
    if (i % 100 === 0) out.push("    roles: [team-lead]");
    if (pbx && i % 11 === 0) out.push("    ucClient:", "      desktop: true");
  }
  return out.join("\n") + "\n";
}

/** Tenant facts (JSON, as an export would write them): licences, directory, credential, live users (the declared ones plus 5% outside the plan). */
function tenantFactsText(n: number): string {
  const directory = [];
  const users = [];
  for (let i = 0; i < n; i++) {
    if (i % 5 !== 0) {
      directory.push({ extension: String(100000 + i), displayName: `User ${i}`, email: `user${i}@example.com`, serviceLicence: "X8", devices: [{ id: `d${i}`, webrtc: true }] });
      users.push({ extension: String(100000 + i), email: `user${i}@example.com`, tier: i % 3 ? "analytics" : "reports" });
    } else users.push({ email: `user${i}@example.com`, displayName: `Manual User ${i}`, tier: "reports" });
  }
  for (let i = n; i < n + n / 20; i++) users.push({ email: `live${i}@example.com`, tier: "reports" });
  return JSON.stringify({
    profile: "dimensions",
    licences: { professional: { capacity: n }, reports: { capacity: n }, analytics: { capacity: n }, liveAnalytics: { capacity: n / 4 }, contactCenter: { capacity: n }, agent: { capacity: n } },
    recordingBucket: true,
    realTimeWithLive: true,
    directory,
    credential: { email: "admin@example.com", permissions: ["websiteAccess", "manageUsers", "manageBillableItems", "workspaceAdministrator", "manageContactDirectories"] },
    users,
    groups: Array.from({ length: GROUPS }, (_, g) => `group-${g}`),
    workspaces: Array.from({ length: WORKSPACES }, (_, w) => `workspace-${w}`),
    grants: [],
    roles: [],
  }, null, 1) + "\n";
}

interface Measured { ms: number; rss: number; exit: number; problems: number; summary: string }

/** In a child: one case, timed from before its first require; prints what it measured as JSON. */
async function child(what: string, manifest: string, facts: string): Promise<void> {
  const t = performance.now();
  let exit = 0;
  let problems = 0;
  let summary = "";
  if (what === "read") {
    const { load, CORE_SCHEMA }: typeof import("js-yaml") = require("js-yaml");
    load(readFileSync(manifest, "utf8"), { schema: CORE_SCHEMA });
    load(readFileSync(facts, "utf8"), { schema: CORE_SCHEMA });
  } else {
    const { command }: typeof import("../cli/validate") = require("../dist/cli/validate.js");
    exit = await command.run([manifest, "--tenant", facts], {
      out: (s) => { for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) problems++; summary = s; },
      err: (s) => { summary = s; },
    });
    problems--; // the summary line
    // Past the listing limit (the first 1,000, then a count), the summary has the whole number.
    const total = /(\d+) errors?\b/.exec(summary);
    if (total) problems = Number(total[1]);
  }
  const ms = performance.now() - t;
  const m: Measured = { ms, rss: process.resourceUsage().maxRSS * 1024, exit, problems, summary: summary.trim() };
  process.stdout.write(JSON.stringify(m));
}

function run(what: string, manifest: string, facts: string): Measured {
  const r = spawnSync(process.execPath, ["--no-warnings", __filename, "--child", what, manifest, facts], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${what} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function main(): void {
  const max = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100_000);
  const sizes = [1_000, 10_000, 100_000].filter((n) => n <= max);
  const dir = mkdtempSync(join(tmpdir(), "bench-validate-"));
  const cases: { name: string; kind?: Kind; k: number }[] = [
    { name: "clean", k: 0 },
    ...[1, 100, 10_000].flatMap((k) => (["rule", "shape"] as const).map((kind) => ({ name: `${k} ${kind}`, kind, k }))),
  ];
  const results = new Map<string, Measured>();
  let failed = false;
  try {
    for (const n of sizes) {
      const facts = join(dir, `facts-${n}.json`);
      writeFileSync(facts, tenantFactsText(n));
      const files = new Map<string, string>();
      for (const c of cases) {
        if (c.k > n) continue;
        const f = join(dir, `m-${n}-${c.name.replace(" ", "-")}.yaml`);
        writeFileSync(f, manifestText(n, pick(n, c.k), c.kind ?? "rule"));
        files.set(c.name, f);
      }
      const clean = files.get("clean")!;
      const base = run("read", clean, facts);
      results.set(`${n} baseline`, base);
      console.log(`\n${n} users: manifest ${mb(readFileSync(clean).length)}, facts ${mb(readFileSync(facts).length)}`);
      console.log(`  ${"case".padEnd(13)} ${"time".padStart(8)} ${"×read".padStart(7)} ${"×clean".padStart(7)}   ${"peak RSS".padStart(8)} ${"×read".padStart(7)} ${"×clean".padStart(7)}   problems`);
      console.log(`  ${"js-yaml read".padEnd(13)} ${sec(base.ms).padStart(8)} ${"".padStart(7)} ${"".padStart(7)}   ${mb(base.rss).padStart(8)}`);
      let cleanRun: Measured | undefined;
      for (const c of cases) {
        const f = files.get(c.name);
        if (!f) { console.log(`  ${c.name.padEnd(13)} (more problems than users)`); continue; }
        const m = run("validate", f, facts);
        results.set(`${n} ${c.name}`, m);
        cleanRun ??= m;
        const expected = c.k === 0 ? 0 : c.k;
        if (m.problems !== expected || m.exit !== (c.k === 0 ? 0 : 1)) { failed = true; console.log(`  ${c.name}: expected ${expected} problems and exit ${c.k ? 1 : 0}, got ${m.problems} (exit ${m.exit}): ${m.summary}`); }
        console.log(`  ${c.name.padEnd(13)} ${sec(m.ms).padStart(8)} ${x(m.ms, base.ms).padStart(7)} ${(c.k ? x(m.ms, cleanRun.ms) : "").padStart(7)}   ${mb(m.rss).padStart(8)} ${x(m.rss, base.rss).padStart(7)} ${(c.k ? x(m.rss, cleanRun.rss) : "").padStart(7)}   ${m.problems}`);
      }
    }
    if (sizes.includes(10_000) && sizes.includes(100_000)) {
      console.log("\ngrowth 10k → 100k users (10.0× is linear): time, peak RSS");
      for (const name of ["baseline", ...cases.map((c) => c.name)]) {
        const a = results.get(`10000 ${name}`);
        const b = results.get(`100000 ${name}`);
        if (a && b) console.log(`  ${name.padEnd(13)} ${x(b.ms, a.ms).padStart(7)} ${x(b.rss, a.rss).padStart(7)}`);
      }
    }
  } finally {
    if (process.argv.includes("--keep")) console.log(`\nfiles kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[2] === "--child") void child(process.argv[3], process.argv[4], process.argv[5]);
else main();

// Bench: parse and validate a 100,000-user manifest against tenant facts with every plan rule on.
//   npx tsc -p tsconfig.build.json && node --experimental-strip-types bench/validate.ts [users]
// Prints the time of each phase and the peak memory. Aim: under 2 s for 100,000 users.
/* eslint-disable @typescript-eslint/no-require-imports */
const { parseManifest }: typeof import("../manifest/parse") = require("../dist/manifest/parse.js");
const { TenantFacts, RULE_IDS }: typeof import("../schema/index") = require("../dist/schema/index.js");

const N = Number(process.argv[2] ?? 100_000);
const GROUPS = 50;
const WORKSPACES = 20;
const TIERS = ["none", "reports", "analytics", "liveAnalytics", "contactCenter"];

/** The manifest: 80% PBX users (in the directory), 20% manual users; groups, workspaces with members, roles. */
function manifestText(n: number): string {
  const out: string[] = ["# yaml-language-server: $schema=../schema/manifest.schema.json", "profile: dimensions", "groups:"];
  for (let g = 0; g < GROUPS; g++) out.push(`  - name: group-${g}`, `    description: Group number ${g}`);
  out.push("roles:", "  - name: team-lead", "    tier: analytics", "    permissions:", "      websiteAccess: true", "      workspaceAdministrator: true",
    "  - name: supervisor", "    tier: liveAnalytics", "    addOns: [agent]");
  out.push("workspaces:");
  for (let w = 0; w < WORKSPACES; w++) {
    out.push(`  - name: workspace-${w}`, "    members:");
    for (let m = 0; m < 100; m++) out.push(`      - user: user${w * 100 + m}@example.com`, `        access: ${m % 10 ? "view" : "admin"}`);
  }
  out.push("users:");
  for (let i = 0; i < n; i++) {
    const pbx = i % 5 !== 0;
    const g = `group-${i % GROUPS}`;
    if (pbx) out.push(`  - extension: "${100000 + i}"`, `    email: user${i}@example.com`);
    else out.push(`  - email: user${i}@example.com`, `    displayName: Manual User ${i}`);
    if (pbx && i % 7 === 0) out.push("    accessType: professional");
    out.push(`    tier: ${i < 2000 ? "analytics" : pbx ? TIERS[i % 5] : "reports"}`);
    out.push("    permissions:", "      websiteAccess: true", `      manageContactDirectories: ${i % 3 === 0}`);
    if (i % 50 === 0) out.push("      recordingPlayback: own");
    out.push(`    groups: [${g}, group-${(i + 1) % GROUPS}]`, `    primaryGroup: ${g}`);
    if (i % 100 === 0) out.push("    roles: [team-lead]");
    if (pbx && i % 11 === 0) out.push("    ucClient:", "      desktop: true");
  }
  return out.join("\n") + "\n";
}

/** Tenant facts: licences, directory, credential, live users (the declared ones plus 5% outside the plan). */
function tenantFacts(n: number) {
  const directory = [];
  const users = [];
  for (let i = 0; i < n; i++) {
    if (i % 5 !== 0) {
      directory.push({ extension: String(100000 + i), displayName: `User ${i}`, email: `user${i}@example.com`, serviceLicence: "X8", devices: [{ id: `d${i}`, webrtc: true }] });
      users.push({ extension: String(100000 + i), email: `user${i}@example.com`, tier: i % 3 ? "analytics" : "reports" });
    } else users.push({ email: `user${i}@example.com`, displayName: `Manual User ${i}`, tier: "reports" });
  }
  for (let i = n; i < n + n / 20; i++) users.push({ email: `live${i}@example.com`, tier: "reports" });
  return TenantFacts.parse({
    profile: "dimensions",
    licences: { professional: { capacity: n }, reports: { capacity: n }, analytics: { capacity: n }, liveAnalytics: { capacity: n / 4 }, contactCenter: { capacity: n }, agent: { capacity: n } },
    recordingBucket: true,
    realTimeWithLive: true,
    directory,
    credential: { email: "admin@example.com", permissions: ["websiteAccess", "manageUsers", "manageBillableItems", "workspaceAdministrator"] },
    users,
    groups: Array.from({ length: GROUPS }, (_, g) => `group-${g}`),
    workspaces: Array.from({ length: WORKSPACES }, (_, w) => `workspace-${w}`),
    grants: [],
    roles: [],
  });
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

function main() {
  let t = performance.now();
  const text = manifestText(N);
  const tenant = tenantFacts(N);
  const setup = performance.now() - t;
  const baseRss = process.memoryUsage().rss;

  t = performance.now();
  const result = parseManifest(text, "bench.yaml", { tenant });
  const elapsed = performance.now() - t;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  clearInterval(sampler);

  const byRule = new Map<string, number>();
  for (const p of result.problems) byRule.set(p.rule, (byRule.get(p.rule) ?? 0) + 1);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(`manifest: ${N} users, ${(text.length / 1048576).toFixed(1)} MB of YAML (setup ${(setup / 1000).toFixed(2)} s, not timed)`);
  console.log(`rules: ${RULE_IDS.length - result.unchecked.length} of ${RULE_IDS.length} checked${result.unchecked.length ? ` (unchecked: ${result.unchecked.join(", ")})` : ""}`);
  console.log(`problems: ${result.problems.length} (${[...byRule].map(([r, c]) => `${r} ${c}`).join(", ") || "none"})`);
  console.log(`parse + validate: ${(elapsed / 1000).toFixed(2)} s`);
  console.log(`peak memory: ${mb(Math.max(peakRss, maxRss))} RSS (${mb(baseRss)} before parsing; manifest text and tenant facts included)`);
  if (!result.rulesRan) process.exitCode = 1;
}

main();

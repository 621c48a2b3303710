// The fuzz suite's longer run (issue 12): the generators of test/fuzz/ with more runs and other seeds,
// against `validate` and the HTTP API; prints counts per kind, the slowest input, and any failure.
//   npm run build && node bench/fuzz.ts [--runs 2000] [--seed 12]
/* eslint-disable @typescript-eslint/no-require-imports */
const { mkdtempSync, readFileSync, rmSync, writeFileSync }: typeof import("node:fs") = require("node:fs");
const { tmpdir }: typeof import("node:os") = require("node:os");
const { join }: typeof import("node:path") = require("node:path");

/** A TypeScript module of the suite (ES module syntax), compiled to CommonJS with the project's typescript. */
function load(rel: string): unknown {
  const ts = require("typescript") as typeof import("typescript");
  const Module = require("node:module") as { new (id: string, parent: unknown): { filename: string; paths: string[]; exports: unknown; _compile(code: string, file: string): void }; _nodeModulePaths(dir: string): string[] };
  const file = join(__dirname, rel);
  const out = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(join(__dirname, rel, ".."));
  m._compile(out, file);
  return m.exports;
}

async function main(): Promise<void> {
  // the suite's own generators (test/fuzz/, ES modules: imported, Node strips their types)
  const fc = require("fast-check") as typeof import("fast-check");
  const { badManifest, badRequest } = load("../test/fuzz/generators.ts") as typeof import("../test/fuzz/generators");
  const { sendRaw } = load("../test/fuzz/raw.ts") as typeof import("../test/fuzz/raw");
  const { command } = require("../dist/cli/validate") as typeof import("../cli/validate");
  const { startPlatform } = require("../dist/platform/index") as typeof import("../platform/index");
  const arg = (name: string, def: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : def; };
  const runs = arg("--runs", 2000);
  const seed = arg("--seed", 12);

  const dir = mkdtempSync(join(tmpdir(), "aa-fuzz-"));
  const file = join(dir, "m.yaml");
  let cli = { runs: 0, exit: [0, 0, 0, 0], crashes: 0, slowestMs: 0, slowest: "", unplaced: 0 };
  const t0 = performance.now();
  await fc.assert(fc.asyncProperty(badManifest, async (text) => {
    writeFileSync(file, text);
    let out = "";
    const t = performance.now();
    let code = 3;
    try { code = await command.run([file], { out: (s) => { out += s; }, err: () => {} }); } catch { cli.crashes++; }
    const ms = performance.now() - t;
    cli.runs++;
    cli.exit[code]++;
    if (ms > cli.slowestMs) { cli.slowestMs = ms; cli.slowest = text.slice(0, 60); }
    const lines = out.trimEnd().split("\n").slice(0, -1).filter((l) => !l.startsWith(`${file}: and `));
    if (lines.some((l) => !/:\d+:\d+ (error|warning) /.test(l))) cli.unplaced++;
  }), { seed, numRuns: runs });
  rmSync(dir, { recursive: true, force: true });
  console.log(`validate: ${cli.runs} malformed manifests in ${((performance.now() - t0) / 1000).toFixed(1)} s; exit 0/1/2: ${cli.exit.slice(0, 3).join("/")}, crashes ${cli.crashes}, problems without a position ${cli.unplaced}; slowest ${cli.slowestMs.toFixed(0)} ms (${JSON.stringify(cli.slowest)})`);

  const p = await startPlatform({ rateLimit: false, authFailureLimit: false });
  const tenant = p.createTenant({ name: "Fuzz", profile: "dimensions" });
  p.createPortalUser(tenant.id, { email: "admin@fuzz.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces", "customer.permission.settings"] });
  const token = p.issueToken(tenant.id, "admin@fuzz.example");
  const g = await fetch(`${p.apiUrl}/groups`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Sales" }) }).then((r) => r.json()) as { id: string };
  const snapshot = () => JSON.stringify([p.store.listUsers(tenant.id), p.store.listNamed("groups", tenant.id), p.store.listNamed("workspaces", tenant.id), p.store.listAudit(tenant.id, 0, 1e6)]);
  const byStatus = new Map<number, number>();
  const byKind = new Map<string, number>();
  let bad = 0;
  const t1 = performance.now();
  await fc.assert(fc.asyncProperty(badRequest({ group: g.id, user: "usr_000001" }), async (r) => {
    const before = snapshot();
    const a = await sendRaw(p.port, r, token);
    byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    const problem = /^application\/problem\+json/.test(a.headers["content-type"] ?? "");
    if (a.reset || a.status >= 500 || a.status < 400 || !problem || snapshot() !== before) { bad++; if (bad <= 5) console.log(`  refused badly: ${a.status} ${r.kind} ${r.method} ${r.target.slice(0, 60)}`); }
  }), { seed, numRuns: runs });
  await p.close();
  console.log(`http: ${runs} malformed requests in ${((performance.now() - t1) / 1000).toFixed(1)} s; by status ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}; kinds ${byKind.size}; not problem+json 4xx or data changed: ${bad}`);
}

void main();

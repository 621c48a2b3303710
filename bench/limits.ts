// Bench (issue 12): `validate` on 5, 20 and 50 MB manifests with 0, 1 and 10,000 problems (a
// misspelt key, UNKNOWN-KEY: the shape fails, problems are placed). Each run in its own child
// process, for its own peak RSS. Goals: a problem case within 2x the clean one's time; peak RSS
// under 3x the file size plus the model (the clean run's peak is the model's measure).
//   npm run build && node bench/limits.ts [--sizes 5,20,50]
/* eslint-disable @typescript-eslint/no-require-imports */
const { spawnSync }: typeof import("node:child_process") = require("node:child_process");
const { mkdtempSync, rmSync, writeFileSync, statSync }: typeof import("node:fs") = require("node:fs");
const { tmpdir }: typeof import("node:os") = require("node:os");
const { join }: typeof import("node:path") = require("node:path");

const MB = 1024 * 1024;

/** A manifest of about `bytes`, `bad` of its users with a misspelt `websiteAcess`, spread evenly. */
function manifest(bytes: number, bad: number): string {
  const user = (i: number, typo: boolean) => `  - email: user${i}@example.com\n    displayName: User number ${i}\n    tier: analytics\n    permissions:\n      ${typo ? "websiteAcess" : "websiteAccess"}: true\n    groups: [g${i % 50}]\n    primaryGroup: g${i % 50}\n`;
  const n = Math.ceil(bytes / user(100000, false).length);
  const every = bad ? Math.floor(n / bad) : 0;
  const out: string[] = ["version: 1", "profile: dimensions", "groups:"];
  for (let g = 0; g < 50; g++) out.push(`  - name: g${g}`);
  out.push("users:");
  let left = bad;
  for (let i = 0; i < n; i++) out.push(user(i, left > 0 && i % every === every - 1 && left-- > 0).trimEnd());
  return out.join("\n") + "\n";
}

function child(file: string): void {
  const t = performance.now();
  const { command } = require("../dist/cli/validate") as typeof import("../cli/validate");
  let lines = 0;
  void command.run([file], { out: (s) => { lines += s.split("\n").length - 1; }, err: () => {} }).then((code) => {
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, rss: process.resourceUsage().maxRSS * 1024, code, lines }));
  });
}

function main(): void {
  const arg = process.argv.indexOf("--sizes");
  const sizes = (arg > 0 ? process.argv[arg + 1] : "5,20,50").split(",").map(Number);
  const dir = mkdtempSync(join(tmpdir(), "aa-limits-"));
  console.log("size   problems  time      peak RSS   x clean time  x clean RSS  RSS / file  output lines  exit");
  try {
    for (const size of sizes) {
      let clean: { ms: number; rss: number } | undefined;
      for (const bad of [0, 1, 10_000]) {
        const file = join(dir, `m-${size}-${bad}.yaml`);
        writeFileSync(file, manifest(size * MB, bad));
        const bytes = statSync(file).size;
        const r = spawnSync(process.execPath, ["--max-old-space-size=4096", __filename, "--child", file], { encoding: "utf8", maxBuffer: 64 * MB });
        rmSync(file);
        if (r.status !== 0 || !r.stdout) { console.log(`${size} MB ${bad}: failed: ${(r.stderr || "").slice(0, 300)}`); continue; }
        const m = JSON.parse(r.stdout) as { ms: number; rss: number; code: number; lines: number };
        clean ??= m;
        console.log(`${`${(bytes / MB).toFixed(0)} MB`.padEnd(7)}${String(bad).padEnd(10)}${`${(m.ms / 1000).toFixed(2)} s`.padEnd(10)}${`${(m.rss / MB).toFixed(0)} MB`.padEnd(11)}${`${(m.ms / clean.ms).toFixed(2)}x`.padEnd(14)}${`${(m.rss / clean.rss).toFixed(2)}x`.padEnd(13)}${`${(m.rss / bytes).toFixed(1)}x`.padEnd(12)}${String(m.lines).padEnd(14)}${m.code}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") child(process.argv[3]);
else main();

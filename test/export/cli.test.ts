// `analytics-access export`: stdout or --out, exit codes, readable errors without the token.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { command } from "../../cli/export";
import { type RunningPlatform, startPlatform } from "../../platform";
import { parseManifest } from "../../manifest";

const VAR = "AA_EXPORT_TEST_TOKEN";
let p: RunningPlatform;

async function run(argv: string[], token: string | null = p.adminToken!) {
  let out = "", err = "";
  if (token === null) delete process.env[VAR];
  else process.env[VAR] = token;
  try {
    const code = await command.run(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
    return { code, out, err };
  } finally {
    delete process.env[VAR];
  }
}

beforeAll(async () => { p = await startPlatform({ demo: true, rateLimit: false }); });
afterAll(async () => p?.close());

describe("export command", () => {
  it("prints the manifest on stdout and exits 0; the same bytes twice", async () => {
    const a = await run(["--endpoint", p.url, "--token-env", VAR]);
    expect(a.code, a.err).toBe(0);
    expect(a.err).toBe("");
    expect(a.out).toMatch(/^# yaml-language-server: \$schema=\S+manifest\.schema\.json\n# Exported by `analytics-access export`: review before applying\.\nversion: 1\nprofile: dimensions\n/);
    const parsed = parseManifest(a.out, "stdout.yaml");
    expect(parsed.problems).toEqual([]);
    expect(parsed.manifest!.users.length).toBe(51); // the demo's 50 PBX users are all in a group, plus the admin
    const b = await run(["--endpoint", p.url, "--token-env", VAR]);
    expect(b.out).toBe(a.out);
  });

  it("--out writes the file (schema path relative to it) and says what it wrote on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aa-export-"));
    const file = join(dir, "access.yaml");
    const r = await run(["--endpoint", p.url, "--token-env", VAR, "--out", file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toBe(`wrote ${file}: 51 users, 4 groups, 3 workspaces, 0 roles\n`);
    const text = readFileSync(file, "utf8");
    const ref = /\$schema=(\S+)/.exec(text)![1];
    expect(readFileSync(join(dir, ref), "utf8")).toContain('"$schema"');
  });

  it("--all includes PBX users at the baseline", async () => {
    const user = p.addDirectoryEntry(p.demoTenantId!, { extension: "299", displayName: "New Hire", email: "new.hire@demo.example" });
    expect(user.extension).toBe("299");
    expect((await run(["--endpoint", p.url, "--token-env", VAR])).out).not.toContain('"299"');
    expect((await run(["--endpoint", p.url, "--token-env", VAR, "--all"])).out).toContain('  - extension: "299"\n  - email: admin@demo.example\n');
  });

  it("exits 2 with a readable error, never the token", async () => {
    const noToken = await run(["--endpoint", p.url, "--token-env", VAR], null);
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/no API token: set the AA_EXPORT_TEST_TOKEN environment variable/);

    const bad = "aat_not-a-real-token-0123456789";
    const refused = await run(["--endpoint", p.url, "--token-env", VAR], bad);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`analytics-access export: the platform at ${p.url} refused the token (401): check the token variable\n`);
    expect(refused.out).toBe("");

    const down = await run(["--endpoint", "http://127.0.0.1:9", "--token-env", VAR]);
    expect(down.code).toBe(2);
    expect(down.err).toMatch(/^analytics-access export: /);
    expect(down.err).not.toContain(p.adminToken!);

    const option = await run(["--endpoint", p.url, "--frobnicate"]);
    expect(option.code).toBe(2);
    expect(option.err).toMatch(/Unknown option '--frobnicate'[\s\S]*usage: analytics-access export/);
    const positional = await run(["access.yaml"]);
    expect(positional.code).toBe(2);
    expect(positional.err).toMatch(/unexpected argument "access\.yaml" \(write to a file with --out FILE\)/);

    const unwritable = await run(["--endpoint", p.url, "--token-env", VAR, "--out", join(tmpdir(), "no-such-dir-aa", "x.yaml")]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toMatch(/cannot write .*x\.yaml: ENOENT/);
  });

  it("--help prints the usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: analytics-access export \[--endpoint URL\] \[--token-env VAR\] \[--out FILE\] \[--all\]/);
  });
});

// The validate and schema commands: exit codes, problem lines, one-line summary.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { command, schemaCommand } from "../../cli/validate";
import { manifestJsonSchemaText } from "../../manifest";
import { startTestTenant } from "../support/tenant";

const FIX = join(__dirname, "fixtures");
const CORPUS = join(__dirname, "corpus");

async function run(cmd: typeof command, argv: string[]) {
  let out = "";
  let err = "";
  const code = await cmd.run(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe("validate", () => {
  it("prints a one-line summary and exits 0 for a valid manifest", async () => {
    const r = await run(command, [join(FIX, "valid.yaml")]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    expect(r.out).toMatch(/valid\.yaml: 2 users, 1 group, 1 workspace, 1 role: valid \(16 rules unchecked without tenant facts: SRC-3, .*\)\n$/);
  });

  it("prints every problem compiler-style and exits 1", async () => {
    const r = await run(command, [join(CORPUS, "32-many-problems.yaml")]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(`${join(CORPUS, "32-many-problems.yaml")}:9:7 error UNKNOWN-KEY users[0].permissions.manageUser: unknown key "manageUser"; did you mean "manageUsers"? Fix: rename it to "manageUsers"`);
    expect(lines[5]).toMatch(/32-many-problems\.yaml: 5 errors$/);
  });

  it("judges the plan rules against a tenant facts file", async () => {
    const r = await run(command, [join(FIX, "valid.yaml"), "--tenant", join(FIX, "tenant.yaml")]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/valid\.yaml:\d+:\d+ error LIC-1 users\[0\]\.tier: licence analytics/);
    expect(r.out).toMatch(/valid\.yaml:23:7 error REC-1 users\[1\]\.permissions\.recordingPlayback: /);
  });

  it("reports problems in the tenant facts file at their position", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aa-"));
    writeFileSync(join(dir, "t.json"), '{\n  "profile": "dimensions",\n  "recordingBuckett": true\n}\n');
    const r = await run(command, [join(FIX, "valid.yaml"), "--tenant", join(dir, "t.json")]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`t.json:3:3 error UNKNOWN-KEY recordingBuckett: unknown key "recordingBuckett"; did you mean "recordingBucket"?`);
  });

  it("emits JSON with --format json", async () => {
    const r = await run(command, [join(CORPUS, "02-misspelt-permission.yaml"), "--format", "json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ valid: false, errors: 1, problems: [{ line: 6, column: 7, rule: "UNKNOWN-KEY" }] });
  });

  it("exits 2 on usage and I/O errors, and when the platform cannot be reached", async () => {
    expect((await run(command, [])).code).toBe(2);
    expect((await run(command, ["--bogus", "x.yaml"])).code).toBe(2);
    const missing = await run(command, [join(FIX, "nope.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.yaml: no such file/);
    process.env.AA_TEST_TOKEN = "t";
    const live = await run(command, [join(FIX, "valid.yaml"), "--endpoint", "http://localhost:1", "--token-env", "AA_TEST_TOKEN"]);
    expect(live.code).toBe(2);
    expect(live.err).toMatch(/cannot read the tenant at http:\/\/localhost:1: .*no answer/);
    expect((await run(command, [join(FIX, "valid.yaml"), "--endpoint", "http://x", "--token-env", "AA_UNSET_VAR_X"])).err).toMatch(/no API token: set the AA_UNSET_VAR_X environment variable/);
  });
});

describe("validate --endpoint: against a live tenant", () => {
  it("judges every rule against the tenant the token belongs to", async () => {
    const t = await startTestTenant({ licences: { analytics: 1 } });
    try {
      process.env.AA_LIVE_TOKEN = t.adminToken;
      const dir = mkdtempSync(join(tmpdir(), "aa-"));
      const file = join(dir, "access.yaml");
      writeFileSync(file, 'profile: dimensions\nusers:\n  - extension: "201"\n    tier: analytics\n');
      const ok = await run(command, [file, "--endpoint", t.platform.url, "--token-env", "AA_LIVE_TOKEN"]);
      expect(ok.out).toBe(`${file}: 1 user, 0 groups, 0 workspaces, 0 roles: valid (all 28 rules checked)\n`);
      expect(ok.code).toBe(0);
      writeFileSync(file, 'profile: dimensions\nusers:\n  - extension: "201"\n    tier: analytics\n  - extension: "202"\n    tier: analytics\n');
      const over = await run(command, [file, "--endpoint", t.platform.url, "--token-env", "AA_LIVE_TOKEN"]);
      expect(over.code).toBe(1);
      expect(over.out).toContain(`${file}:6:5 error LIC-1 users[1].tier: licence analytics: 2 users would hold it (2 declared) but the tenant has 1`);
      process.env.AA_LIVE_TOKEN = "not-a-token";
      const refused = await run(command, [file, "--endpoint", t.platform.url, "--token-env", "AA_LIVE_TOKEN"]);
      expect(refused).toMatchObject({ code: 2, err: expect.stringMatching(/refused the token \(401\)/) });
      expect(refused.err).not.toContain("not-a-token");
    } finally {
      await t.close();
    }
  });
});

describe("JSON Schema", () => {
  it("the checked-in schema/manifest.schema.json is the generated one (run `analytics-access schema --write schema/manifest.schema.json`)", () => {
    expect(readFileSync(join(__dirname, "../../schema/manifest.schema.json"), "utf8")).toBe(manifestJsonSchemaText());
    expect(readFileSync(join(__dirname, "../../schema/manifest.overlay.schema.json"), "utf8")).toBe(manifestJsonSchemaText("overlay"));
  });

  it("rejects unknown keys and knows the permissions and tiers", () => {
    const s = JSON.parse(manifestJsonSchemaText());
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(["profile", "users", "groups", "workspaces", "roles"]));
    const text = manifestJsonSchemaText();
    expect(text).toContain('"websiteAccess"');
    expect(text).toContain('"liveAnalytics"');
  });

  it("schema --check", async () => {
    expect((await run(schemaCommand as typeof command, ["--check", join(__dirname, "../../schema/manifest.schema.json")])).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "aa-"));
    writeFileSync(join(dir, "s.json"), "{}");
    expect((await run(schemaCommand as typeof command, ["--check", join(dir, "s.json")])).code).toBe(1);
  });
});

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/engine";
import { runProgram } from "../support/program";

const PROGRAM = "test/engine/fixtures/echo-program/index.js";
const TOKEN = "tok_program_5e1d0c2b9a";
const CONFIG = {
  "analytics-access:endpoint": "http://127.0.0.1:9/api",
  "analytics-access:token": TOKEN,
  "analytics-access:greeting": "hi",
};

describe("a real program through @pulumi/pulumi/cmd/run", () => {
  it("registers a component and two dynamic resources (up: Check then Create)", async () => {
    const run = await runProgram({ program: PROGRAM, config: CONFIG, secretKeys: ["analytics-access:token"] });
    expect(run.exitCode, run.stderr).toBe(0);

    const types = run.resources.map((r) => `${r.type}::${r.name}`);
    expect(types).toEqual([
      "pulumi:pulumi:Stack::analytics-access-test",
      "analytics-access:test:Pair::pair",
      "pulumi-nodejs:dynamic/analytics-access:Echo::pair-first",
      "pulumi-nodejs:dynamic/analytics-access:Echo::pair-second",
    ]);
    const second = run.resources[3]!;
    expect(second.urn).toBe("urn:pulumi:test::analytics-access::analytics-access:test:Pair$pulumi-nodejs:dynamic/analytics-access:Echo::pair-second");
    expect(second.secretInputs).toEqual(["note"]);
    expect(run.resources[1]!.outputs).toEqual({ firstId: "echo-first", secondId: "echo-second" });

    expect(run.stackOutputs).toEqual({
      firstId: "echo-first",
      secondValue: "hi+1",
      endpoint: "http://127.0.0.1:9/api",
      authenticated: true,
      note: "classified",
    });
    expect(run.secretOutputs).toEqual(["note"]);

    // What the SDK really stored for each dynamic resource.
    for (const r of run.resources.filter((x) => x.custom)) {
      expect(r.providerBytes).toBeLessThanOrEqual(1024);
      expect(String(r.inputs.__provider)).not.toContain(TOKEN);
    }
    expect(run.allOutput()).not.toContain(TOKEN);
  });

  it("preview (--dry-run) only checks", async () => {
    const run = await runProgram({ program: PROGRAM, config: CONFIG, dryRun: true });
    expect(run.exitCode, run.stderr).toBe(0);
    const dyn = run.resources.filter((r) => r.custom);
    expect(dyn.map((r) => r.id)).toEqual(["", ""]);
    expect(dyn[0]!.checkedInputs).toMatchObject({ key: "first", value: "hi" });
  });
});

function hasPulumiCli(): boolean {
  const r = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return r.status === 0;
}
const cli = hasPulumiCli();
if (!cli) console.warn("skipped: Pulumi CLI not installed (real `pulumi preview` test)");

describe("the real Pulumi CLI", () => {
  it.skipIf(!cli)("pulumi preview of the fixture program (skipped: Pulumi CLI not installed)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-cli-"));
    try {
      const state = path.join(dir, "state");
      fs.mkdirSync(state);
      fs.mkdirSync(path.join(dir, "node_modules"));
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"));
      fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "analytics-access"));
      fs.copyFileSync(path.join(REPO_ROOT, PROGRAM), path.join(dir, "index.js"));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cli-preview", main: "index.js" }));
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: analytics-access-cli-test\nruntime: nodejs\n");
      const env = { ...process.env, PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "test", PULUMI_SKIP_UPDATE_CHECK: "true" };
      const run = (...args: string[]) => spawnSync("pulumi", args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
      expect(run("stack", "init", "test", "--non-interactive").status).toBe(0);
      expect(run("config", "set", "analytics-access:endpoint", "http://127.0.0.1:9/api").status).toBe(0);
      expect(run("config", "set", "--secret", "analytics-access:token", TOKEN).status).toBe(0);
      const preview = run("preview", "--non-interactive", "--diff");
      expect(preview.status, preview.stdout + preview.stderr).toBe(0);
      expect(preview.stdout).toContain("pair-second");
      expect(preview.stdout + preview.stderr).not.toContain(TOKEN);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PROVIDER_TYPE, REPO_ROOT, STACK_TYPE, Stack, UNKNOWN, isSecret, type Props } from "../support/engine";
import { makeProject } from "../support/projects";
import { dynamicSteps, expectNowhere, nameOf, ops, stepOf } from "../support/runs";

const PROGRAM = "test/engine/fixtures/echo-program/index.js";
const TOKEN = "tok_program_5e1d0c2b9a";
const CONFIG = {
  "analytics-access:endpoint": "http://127.0.0.1:9/api",
  "analytics-access:greeting": "hi",
};
const secretKeys = (props: Props) => Object.keys(props).filter((k) => isSecret(props[k])).sort();

describe("a real program through the engine model (the SDK's cmd/run)", () => {
  /** The fixture as a user's plain-JS project; project and stack named so URNs read as before. */
  const stackFor = () => {
    const dir = makeProject({ name: "analytics-access", options: { typescript: false }, files: { "index.js": fs.readFileSync(path.join(REPO_ROOT, PROGRAM), "utf8") } });
    return new Stack({ dir, stack: "test", config: CONFIG, secrets: { "analytics-access:token": TOKEN } });
  };

  it("registers a component and two dynamic resources (up: Check then Create)", async () => {
    const stack = stackFor();
    const run = await stack.up();
    expect(run.ok, run.text()).toBe(true);
    expect(run.exitCode, run.stderr).toBe(0);

    const resources = stack.state().resources;
    expect(resources.map((r) => `${r.type}::${nameOf(r.urn)}`)).toEqual([
      "pulumi:pulumi:Stack::analytics-access-test",
      "analytics-access:test:Pair::pair",
      `${DEFAULT_PROVIDER_TYPE}::default`,
      "pulumi-nodejs:dynamic/analytics-access:Echo::pair-first",
      "pulumi-nodejs:dynamic/analytics-access:Echo::pair-second",
    ]);
    const [stackState, pair, , first, second] = resources;
    expect(second.urn).toBe("urn:pulumi:test::analytics-access::analytics-access:test:Pair$pulumi-nodejs:dynamic/analytics-access:Echo::pair-second");
    expect(second.parent).toBe(pair.urn);
    expect(pair.parent).toBe(stackState.urn);
    expect(secretKeys(second.inputs)).toEqual(["note"]);
    expect(secretKeys(second.outputs)).toEqual(["note"]);
    expect(pair.outputs).toEqual({ firstId: "echo-first", secondId: "echo-second" });
    // Check then Create, the second after the first (its value needs the first's revision).
    expect(run.calls.map((c) => `${c.method} ${nameOf(c.urn)}`)).toEqual(["configure default", "check pair-first", "create pair-first", "check pair-second", "create pair-second"]);
    expect(first.inputs).toMatchObject({ key: "first", value: "hi" });
    expect(second.inputs).toMatchObject({ key: "second", value: "hi+1" });

    expect(run.outputs).toEqual({
      firstId: "echo-first",
      secondValue: "hi+1",
      endpoint: "http://127.0.0.1:9/api",
      authenticated: true,
      note: "classified",
    });
    expect(secretKeys(stackState.outputs)).toEqual(["note"]);
    expect(stackState.type).toBe(STACK_TYPE);

    // What the SDK really stored for each dynamic resource.
    for (const r of [first, second]) {
      expect(Buffer.byteLength(String(r.inputs.__provider))).toBeLessThanOrEqual(1024);
      expect(String(r.inputs.__provider)).not.toContain(TOKEN);
    }
    expectNowhere(run, stack, TOKEN);
    expect(stack.stateFile.text()).not.toContain("classified"); // secrets are ciphertext on disk
  });

  it("preview (--dry-run) only checks", async () => {
    const stack = stackFor();
    const run = await stack.preview();
    expect(run.ok, run.text()).toBe(true);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(ops(run)).toEqual({ "pair-first": "create", "pair-second": "create" });
    expect(run.calls.map((c) => c.method)).toEqual(["configure", "check", "check"]);
    // No ids yet: what depends on one is unknown.
    expect(run.outputs.firstId).toBe(UNKNOWN);
    expect(dynamicSteps(run).map((s) => nameOf(s.urn))).toContain("pair-first");
    expect(stepOf(run, "pair-first").inputs).toMatchObject({ key: "first", value: "hi" });
    expect(stack.state().resources).toEqual([]);
    expectNowhere(run, stack, TOKEN);
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

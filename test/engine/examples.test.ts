/**
 * The stacks a user starts, started as the Pulumi CLI starts them (through the engine model):
 * the repository's root project (Pulumi.yaml `main: dist/examples/manifest/index.js`, so the
 * program and the provider host run in dist/examples/manifest) with the dev stack's config, and
 * examples/typescript, a TypeScript project the language host runs with ts-node (type-checked).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform } from "../../platform";
import { REPO_ROOT, Stack, loadProject, pwdMain } from "../support/engine";
import { exampleProject } from "../support/projects";

let platform: Awaited<ReturnType<typeof startPlatform>>;
let token: string;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-examples-"));

beforeAll(async () => {
  platform = await startPlatform({ demo: true, rateLimit: false });
  token = platform.demoTenants[0].token;
});
afterAll(async () => {
  await platform?.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const opsOf = (r: { steps: { op: string; urn: string }[] }) => r.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`);

describe("the root project (npm start's stack, `pulumi up --stack dev`)", () => {
  it("runs its program in the folder of `main`, as the CLI does", () => {
    const project = loadProject(REPO_ROOT);
    expect(pwdMain(project)).toEqual({ pwd: path.join(REPO_ROOT, "dist/examples/manifest"), main: "index.js" });
    expect(project.options.typescript).toBe(false);
  });

  it("previews and applies the example manifest from Pulumi.dev.yaml's config", async () => {
    const stack = new Stack({
      dir: REPO_ROOT, stack: "dev", stateFile: path.join(stateDir, "root-dev.json"),
      config: { "analytics-access:endpoint": platform.url }, secrets: { "analytics-access:token": token },
    });
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    const creates = preview.steps.filter((s) => s.op === "create" && s.type.startsWith("pulumi-nodejs:dynamic"));
    expect(creates.length).toBeGreaterThan(5);
    expect(platform.stats().writes).toBe(0);

    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(opsOf(up).filter((o) => o.startsWith("create")).length).toBe(opsOf(preview).filter((o) => o.startsWith("create")).length);
    expect(up.outputs.users).toBeGreaterThan(0);

    const again = await stack.up();
    expect(again.ok, again.text()).toBe(true);
    expect(again.steps.filter((s) => s.op !== "same").map((s) => s.urn)).toEqual([]);
    expect(stack.stateFile.text()).not.toContain(token);
  });
});

describe("examples/typescript (runtime nodejs, TypeScript through ts-node)", () => {
  it("type-checks and runs with the language host's defaults, then changes nothing on a second up", async () => {
    // The example as a user has it after copying it and `npm install` (its analytics-access is file:../..).
    const dir = exampleProject("typescript");
    const project = loadProject(dir);
    expect(project.options.typescript).toBeUndefined(); // default: ts-node
    const stack = new Stack({
      dir, stack: "dev", stateFile: path.join(stateDir, "ts-dev.json"),
      config: { "analytics-access:endpoint": platform.url }, secrets: { "analytics-access:token": token },
    });
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(opsOf(preview)).toEqual(expect.arrayContaining(["create support", "create support-desk", "create dev-adams", "create auditor", "create support-desk-lead"]));

    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    const api = async (route: string) => ((await (await fetch(`${platform.apiUrl}${route}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Record<string, unknown>[] }).items;
    const lead = (await api("/users?limit=500")).find((u) => u.extension === "204")!;
    expect(lead.roles).toEqual(expect.arrayContaining(["customer.supervisor.live", "customer.permission.agentcontrol"]));
    expect(up.outputs).toMatchObject({ leadUserId: lead.id, project: "analytics-access-typescript" });
    expect((await api("/workspace-grants?limit=500")).filter((g) => g.userId === lead.id)).toEqual([expect.objectContaining({ access: "admin" })]);
    // The grant names the lead by its email output: registered, and checked, once the lead exists.
    const call = (m: string, n: string) => up.calls.find((c) => c.method === m && c.urn.endsWith(`::${n}`))!;
    expect(call("check", "support-desk-lead").start).toBeGreaterThanOrEqual(call("create", "dev-adams").end);
    expect(call("check", "support-desk-lead").news).toMatchObject({ user: lead.email, workspace: "Support Desk", access: "admin" });
    const again = await stack.up();
    expect(again.steps.filter((s) => s.op !== "same").map((s) => s.urn)).toEqual([]);
    const destroyed = await stack.destroy();
    expect(destroyed.ok, destroyed.text()).toBe(true);
  });
});

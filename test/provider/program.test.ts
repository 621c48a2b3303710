// The example stacks as Pulumi runs them, through the engine model: the repository's root project
// (Pulumi.yaml `main: dist/examples/manifest/index.js`), the real dynamic-provider host, and the
// embedded platform with its demo tenant.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform, updateTenantSettings } from "../../platform";
import { REPO_ROOT, Stack, type RunResult } from "../support/engine";
import { dynamicSteps, expectNowhere } from "../support/runs";

/** The embedded platform with its demo tenant, for the length of `fn`; each test has its own, so they run side by side. */
async function withPlatform(fn: (p: RunningPlatform) => Promise<void>): Promise<void> {
  const p = await startPlatform({ demo: true, rateLimit: false });
  try {
    await fn(p);
  } finally {
    await p.close();
  }
}

/** The root project's dev stack (Pulumi.dev.yaml: the example manifest), on `p`. */
const rootStack = (p: RunningPlatform, config: Record<string, string> = {}, token = p.adminToken!) =>
  new Stack({ dir: REPO_ROOT, stack: "dev", config: { "analytics-access:endpoint": p.url, ...config }, secrets: { "analytics-access:token": token } });
const get = async (p: RunningPlatform, path: string) => (await (await fetch(`${p.apiUrl}${path}`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as { items: Record<string, any>[] };
const kindOf = (type: string) => type.split(":").pop();
/** The preview stopped in the program, before a single resource reached a provider. */
function stoppedInProgram(r: RunResult) {
  expect(r.ok).toBe(false);
  expect(r.exitCode).not.toBe(0);
  expect(dynamicSteps(r)).toEqual([]); // rejected before any resource was registered
  expect(r.calls).toEqual([]);
}

// Every test has a platform of its own (or none): they run side by side, the slowest first.
describe.concurrent("the example stacks", () => {
  describe("a stack whose platform cannot be read", () => {
    it("fails at preview, saying so, without the token", async () => {
      const stack = new Stack({ dir: REPO_ROOT, stack: "dev", config: { "analytics-access:endpoint": "http://127.0.0.1:1" }, secrets: { "analytics-access:token": "tok-unreachable-123" } });
      const run = await stack.preview({ timeoutMs: 60_000 });
      stoppedInProgram(run);
      expect(run.text()).toMatch(/cannot read the tenant the stack is configured for, so the plan cannot be checked; nothing was changed: GET \/\S+: no answer from http:\/\/127\.0\.0\.1:1/);
      expectNowhere(run, stack, "tok-unreachable-123");
    });
  });

  describe("examples/manifest through the engine", () => {
    it("preview registers every resource and changes nothing; up applies the manifest", () => withPlatform(async (p) => {
      const stack = rootStack(p);
      const preview = await stack.preview();
      expect(preview.ok, preview.text()).toBe(true);
      const dynamic = dynamicSteps(preview);
      expect(dynamic.map((s) => kindOf(s.type)).sort()).toEqual([...Array(4).fill("Group"), ...Array(8).fill("User"), ...Array(3).fill("Workspace"), ...Array(5).fill("WorkspaceGrant")].sort());
      expect(dynamic.every((s) => s.op === "create")).toBe(true); // every Check passed
      expect(p.stats().writes).toBe(0);
      expect(stack.resources()).toEqual([]);

      const up = await stack.up();
      expect(up.ok, up.text()).toBe(true);
      expect(up.outputs).toMatchObject({ users: 8, workspaceGrants: 5 });
      const users = (await get(p, "/users?limit=500")).items;
      const ada = users.find((u) => u.extension === "201")!;
      expect(ada.roles).toEqual(expect.arrayContaining(["customer.supervisor.live", "customer.permission.agentcontrol", "customer.permission.recording.own", "customer.uc.desktop", "customer.user.uc.remote"]));
      expect(users.find((u) => u.email === "auditor@partner.example")?.roles).toContain("customer.supervisor.reports");
      const grants = (await get(p, "/workspace-grants?limit=500")).items;
      expect(grants).toHaveLength(5);
      // What the SDK stored for each dynamic resource: the stub, not the code.
      const custom = stack.resources().filter((r) => r.custom);
      expect(custom).toHaveLength(20);
      for (const r of custom) expect(Buffer.byteLength(String(r.inputs.__provider))).toBeLessThanOrEqual(1024);
      expectNowhere(up, stack, p.adminToken!);
      expectNowhere(preview, stack, p.adminToken!);
    }));

    it("the prod overlay replaces and removes entries", () => withPlatform(async (p) => {
      const run = await rootStack(p, { "analytics-access:overlay": "examples/manifest/access.prod.yaml" }).preview();
      expect(run.ok, run.text()).toBe(true);
      const users = dynamicSteps(run).filter((s) => s.type.endsWith(":User"));
      expect(users).toHaveLength(7);
      expect(users.map((s) => s.inputs?.email)).not.toContain("auditor@partner.example");
      expect(users.find((s) => s.inputs?.extension === "204")?.inputs).toMatchObject({ tier: "analytics" });
    }));

    it("a plan that breaks plan rules fails at preview with every rule id, and the tenant is untouched", () => withPlatform(async (p) => {
      p.setLicence(p.demoTenantId!, "liveAnalytics", 1);
      const dir = mkdtempSync(join(tmpdir(), "aa-plan-"));
      const manifest = join(dir, "access.yaml");
      writeFileSync(manifest, [
        "profile: dimensions",
        "users:",
        '  - { extension: "201", tier: liveAnalytics }',
        '  - { extension: "202", tier: liveAnalytics }', // LIC-1: one licence
        "  - { email: Ben.Adams@demo.example, tier: reports }", // MAIL-1: ext 202's email
        '  - { extension: "203", permissions: { websiteAccess: true, recordingPlayback: all } }', // fine: the demo has a bucket
      ].join("\n"));
      const auditBefore = (await get(p, "/audit?limit=500")).items.length;
      const run = await rootStack(p, { "analytics-access:manifest": manifest }).preview();
      stoppedInProgram(run);
      const out = run.text();
      expect(out).toMatch(/breaks 2 rules \(3 violations\); nothing was changed/);
      expect(out).toMatch(/LIC-1 user ext 202 .*licence liveAnalytics: 2 users would hold it .* but the tenant has 1/);
      expect(out).toMatch(/MAIL-1 user Ben.Adams@demo.example .*also used by/);
      expect(out).toMatch(/MAIL-1 user ext 202/);
      expect((await get(p, "/audit?limit=500")).items.length).toBe(auditBefore);
    }));

    it("BILL-1 and REC-1 against the live tenant's credential and settings", () => withPlatform(async (p) => {
      const helpdesk = p.createPortalUser(p.demoTenantId!, { email: "helpdesk@demo.example", roles: ["customer.permission.website", "customer.permission.users"] });
      const token = p.issueToken(p.demoTenantId!, helpdesk.email);

      updateTenantSettings(p.store, p.demoTenantId!, { recordingBucket: null });
      const dir = mkdtempSync(join(tmpdir(), "aa-plan-"));
      const manifest = join(dir, "access.yaml");
      writeFileSync(manifest, 'profile: dimensions\nusers:\n  - { extension: "220", accessType: professional, permissions: { recordingPlayback: own } }\n');
      const stack = rootStack(p, { "analytics-access:manifest": manifest }, token);
      const run = await stack.preview();
      stoppedInProgram(run);
      expect(run.text()).toMatch(/BILL-1 user ext 220 .*\+professional/);
      expect(run.text()).toMatch(/REC-1 user ext 220 .*no call-recording bucket/);
      expectNowhere(run, stack, token);
    }));

    it("a manifest with a typo fails at preview with file:line:column", () => withPlatform(async (p) => {
      const dir = mkdtempSync(join(tmpdir(), "aa-plan-"));
      const manifest = join(dir, "access.yaml");
      writeFileSync(manifest, 'profile: dimensions\nusers:\n  - extension: "201"\n    tier: analytic\n');
      const run = await rootStack(p, { "analytics-access:manifest": manifest }).preview();
      stoppedInProgram(run);
      expect(run.text()).toContain(`${manifest}:4:11 error SCHEMA users[0].tier:`);
      expect(run.text()).toMatch(/did you mean "analytics"\?/);
    }));
  });
});

// The example manifest stack as Pulumi runs it: the SDK's real cmd/run, an in-test resource
// monitor, the real dynamic-provider host, and the embedded platform with its demo tenant.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform, updateTenantSettings } from "../../platform";
import { runProgram } from "../support/program";

const PROGRAM = "dist/examples/manifest/index.js";
let p: RunningPlatform;
beforeEach(async () => { p = await startPlatform({ demo: true, rateLimit: false }); });
afterEach(async () => p.close());

const config = (extra: Record<string, string> = {}) => ({ "analytics-access:endpoint": p.url, "analytics-access:token": p.adminToken!, ...extra });
const get = async (path: string) => (await (await fetch(`${p.apiUrl}${path}`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as { items: Record<string, any>[] };

describe("examples/manifest through cmd/run", () => {
  it("preview registers every resource and changes nothing; up applies the manifest", async () => {
    const preview = await runProgram({ program: PROGRAM, config: config(), secretKeys: ["analytics-access:token"], dryRun: true });
    expect(preview.exitCode, preview.allOutput()).toBe(0);
    const dynamic = preview.resources.filter((r) => r.custom);
    expect(dynamic.map((r) => r.type.split(":").pop()).sort()).toEqual([...Array(4).fill("Group"), ...Array(8).fill("User"), ...Array(3).fill("Workspace"), ...Array(5).fill("WorkspaceGrant")].sort());
    expect(dynamic.every((r) => !r.failures?.length)).toBe(true);
    expect(p.stats().writes).toBe(0);

    const up = await runProgram({ program: PROGRAM, config: config(), secretKeys: ["analytics-access:token"] });
    expect(up.exitCode, up.allOutput()).toBe(0);
    expect(up.stackOutputs).toMatchObject({ users: 8, workspaceGrants: 5 });
    const users = (await get("/users?limit=500")).items;
    const ada = users.find((u) => u.extension === "201")!;
    expect(ada.roles).toEqual(expect.arrayContaining(["customer.supervisor.live", "customer.permission.agentcontrol", "customer.permission.recording.own", "customer.uc.desktop", "customer.user.uc.remote"]));
    expect(users.find((u) => u.email === "auditor@partner.example")?.roles).toContain("customer.supervisor.reports");
    const grants = (await get("/workspace-grants?limit=500")).items;
    expect(grants).toHaveLength(5);
    for (const r of up.resources.filter((x) => x.custom)) expect(r.providerBytes).toBeLessThanOrEqual(1024);
    expect(up.allOutput()).not.toContain(p.adminToken!);
  });

  it("the prod overlay replaces and removes entries", async () => {
    const run = await runProgram({ program: PROGRAM, config: config({ "analytics-access:overlay": "examples/manifest/access.prod.yaml" }), dryRun: true });
    expect(run.exitCode, run.allOutput()).toBe(0);
    const users = run.resources.filter((r) => r.type.endsWith(":User"));
    expect(users).toHaveLength(7);
    expect(users.find((u) => u.checkedInputs?.extension === "204")?.checkedInputs).toMatchObject({ tier: "analytics" });
  });

  it("a plan that breaks plan rules fails at preview with every rule id, and the tenant is untouched", async () => {
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
    const auditBefore = (await get("/audit?limit=500")).items.length;
    const run = await runProgram({ program: PROGRAM, config: config({ "analytics-access:manifest": manifest }), dryRun: true });
    expect(run.exitCode).not.toBe(0);
    const out = run.allOutput();
    expect(out).toMatch(/breaks 2 rules \(3 violations\); nothing was changed/);
    expect(out).toMatch(/LIC-1 user ext 202 .*licence liveAnalytics: 2 users would hold it .* but the tenant has 1/);
    expect(out).toMatch(/MAIL-1 user Ben.Adams@demo.example .*also used by/);
    expect(out).toMatch(/MAIL-1 user ext 202/);
    expect(run.resources.filter((r) => r.custom)).toEqual([]); // rejected before any resource was registered
    expect((await get("/audit?limit=500")).items.length).toBe(auditBefore);
  });

  it("BILL-1 and REC-1 against the live tenant's credential and settings", async () => {
    const helpdesk = p.createPortalUser(p.demoTenantId!, { email: "helpdesk@demo.example", roles: ["customer.permission.website", "customer.permission.users"] });
    const token = p.issueToken(p.demoTenantId!, helpdesk.email);

    updateTenantSettings(p.store, p.demoTenantId!, { recordingBucket: null });
    const dir = mkdtempSync(join(tmpdir(), "aa-plan-"));
    const manifest = join(dir, "access.yaml");
    writeFileSync(manifest, 'profile: dimensions\nusers:\n  - { extension: "220", accessType: professional, permissions: { recordingPlayback: own } }\n');
    const run = await runProgram({ program: PROGRAM, config: { "analytics-access:endpoint": p.url, "analytics-access:token": token, "analytics-access:manifest": manifest }, dryRun: true });
    expect(run.exitCode).not.toBe(0);
    expect(run.allOutput()).toMatch(/BILL-1 user ext 220 .*\+professional/);
    expect(run.allOutput()).toMatch(/REC-1 user ext 220 .*no call-recording bucket/);
    expect(run.allOutput()).not.toContain(token);
  });

  it("a manifest with a typo fails at preview with file:line:column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aa-plan-"));
    const manifest = join(dir, "access.yaml");
    writeFileSync(manifest, 'profile: dimensions\nusers:\n  - extension: "201"\n    tier: analytic\n');
    const run = await runProgram({ program: PROGRAM, config: config({ "analytics-access:manifest": manifest }), dryRun: true });
    expect(run.exitCode).not.toBe(0);
    expect(run.allOutput()).toContain(`${manifest}:4:11 error SCHEMA users[0].tier:`);
    expect(run.allOutput()).toMatch(/did you mean "analytics"\?/);
  });
});

describe("examples/typescript through cmd/run", () => {
  it("declares the resources one by one and applies them", async () => {
    const run = await runProgram({ program: "dist/examples/typescript/index.js", config: config(), secretKeys: ["analytics-access:token"] });
    expect(run.exitCode, run.allOutput()).toBe(0);
    expect(run.resources.filter((r) => r.custom).map((r) => r.type.split(":").pop())).toEqual(["Group", "Workspace", "User", "User", "WorkspaceGrant"]);
    const users = (await get("/users?limit=500")).items;
    expect(users.find((u) => u.extension === "204")?.roles).toEqual(expect.arrayContaining(["customer.supervisor.live", "customer.permission.agentcontrol"]));
    expect(run.stackOutputs).toMatchObject({ leadUserId: users.find((u) => u.extension === "204")?.id, project: "analytics-access" });
    expect((await get("/workspace-grants?limit=500")).items).toEqual([expect.objectContaining({ access: "admin" })]);
  });
});

describe("a stack whose platform cannot be read", () => {
  it("fails at preview, saying so, without the token", async () => {
    const run = await runProgram({ program: PROGRAM, config: { "analytics-access:endpoint": "http://127.0.0.1:1", "analytics-access:token": "tok-unreachable-123" }, dryRun: true, timeoutMs: 60_000 });
    expect(run.exitCode).not.toBe(0);
    expect(run.allOutput()).toMatch(/cannot read the tenant the stack is configured for, so the plan cannot be checked; nothing was changed: GET \/\S+: no answer from http:\/\/127\.0\.0\.1:1/);
    expect(run.allOutput()).not.toContain("tok-unreachable-123");
    expect(run.resources.filter((r) => r.custom)).toEqual([]);
  });
});

// Groups, workspaces, workspace grants and named roles through the SDK's real dynamic-provider
// host against the platform: create (or adopt by name), no-op, update, replace, refresh, delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform } from "../../platform";
import { ProviderHost, urnFor } from "../support/engine";
import { serializedStub } from "../support/engine-serialize";
import { startTestTenant, type TestTenant } from "../support/tenant";

const type = (t: string) => `pulumi-nodejs:dynamic/analytics-access:${t}`;
let t: TestTenant;
let host: ProviderHost;

beforeAll(async () => {
  t = await startTestTenant();
  host = await ProviderHost.start();
  await host.configure(t.config(), { secretKeys: ["analytics-access:token"] });
});
afterAll(async () => { await host?.stop(); await t?.close(); });

const api = async <T>(path: string): Promise<T> => (await (await fetch(`${t.platform.apiUrl}${path}`, { headers: { authorization: `Bearer ${t.adminToken}` } })).json()) as T;
const desired = async (kind: string, name: string, inputs: Record<string, unknown>) =>
  ({ urn: urnFor(name, type(kind)), inputs: { ...inputs, __provider: await serializedStub(kind) } as Record<string, unknown> });

describe("Group", () => {
  it("creates, leaves alone, updates, deletes", async () => {
    const g = await desired("group", "sales", { name: "Sales", description: "Inbound" });
    const created = await host.up([g]);
    expect(created.steps.map((s) => s.op)).toEqual(["create"]);
    expect((await api<{ items: { name: string; description: string }[] }>("/groups")).items).toEqual([expect.objectContaining({ name: "Sales", description: "Inbound" })]);
    expect((await host.up([g], created.states)).steps.map((s) => s.op)).toEqual(["same"]);
    const changed = await host.up([{ ...g, inputs: { ...g.inputs, description: "Inbound and outbound" } }], created.states);
    expect(changed.steps.map((s) => s.op)).toEqual(["update"]);
    expect((await api<{ items: { description: string }[] }>("/groups")).items[0].description).toBe("Inbound and outbound");
    const destroyed = await host.destroy(changed.states);
    expect(destroyed.ok).toBe(true);
    expect((await api<{ items: unknown[] }>("/groups")).items).toEqual([]);
    // Declared again after a delete: a new group, not a replay of the first create.
    const again = await host.up([g]);
    expect(again.steps.map((s) => [s.op, s.error])).toEqual([["create", undefined]]);
    expect(again.states[0].id).not.toBe(created.states[0].id);
    expect((await api<{ items: { id: string }[] }>("/groups")).items.map((x) => x.id)).toEqual([again.states[0].id]);
    await host.destroy(again.states);
  });
});

describe("Workspace and WorkspaceGrant", () => {
  it("grants a user a workspace, changes the level in place, moves it to another user by replacing", async () => {
    const users = [
      await desired("user", "u201", { extension: "201", tier: "analytics" }),
      await desired("user", "u202", { extension: "202", tier: "liveAnalytics" }),
    ];
    const ws = await desired("workspace", "floor", { name: "Sales Floor" });
    const grant = (user: string, access: string) => desired("workspace-grant", "floor-grant", { user, workspace: "Sales Floor", access });
    const first = await host.up([...users, ws, await grant("user201@acme.example", "view")]);
    expect(first.ok, JSON.stringify(first.steps.map((s) => s.error ?? s.failures))).toBe(true);
    let grants = (await api<{ items: { access: string; userId: string }[] }>("/workspace-grants")).items;
    expect(grants).toEqual([expect.objectContaining({ access: "view" })]);

    const admin = await host.up([...users, ws, await grant("user201@acme.example", "admin")], first.states);
    expect(admin.steps.map((s) => s.op)).toEqual(["same", "same", "same", "update"]);
    expect((await api<{ items: { access: string }[] }>("/workspace-grants")).items).toEqual([expect.objectContaining({ access: "admin" })]);

    const moved = await host.up([...users, ws, await grant("202", "admin")], admin.states);
    expect(moved.steps[3].op).toBe("replace");
    grants = (await api<{ items: { access: string; userId: string }[] }>("/workspace-grants")).items;
    const u202 = (await api<{ items: { id: string; extension: string }[] }>("/users")).items.find((u) => u.extension === "202")!;
    expect(grants).toEqual([expect.objectContaining({ userId: u202.id })]);

    // Removed in the portal: refresh drops it from state.
    await fetch(`${t.platform.apiUrl}/workspace-grants/${moved.states[3].id}`, { method: "DELETE", headers: { authorization: `Bearer ${t.adminToken}` } });
    const refreshed = await host.refresh(moved.states);
    expect(refreshed.steps.map((s) => s.op)).toEqual(["refresh", "refresh", "refresh", "delete"]);
    expect((await host.destroy(refreshed.states)).ok).toBe(true);
    expect((await api<{ items: unknown[] }>("/workspaces")).items).toEqual([]);
  });

  it("Check rejects a grant for a user below the Analytics tier (WS-2)", async () => {
    const steps = await host.preview([await desired("workspace-grant", "low", { user: "user203@acme.example", workspace: "Any", access: "view" })]);
    expect(steps[0].failures).toEqual([expect.objectContaining({ property: "user", reason: expect.stringMatching(/^\[WS-1\]/) }), expect.objectContaining({ reason: expect.stringMatching(/^\[WS-2\].*analytics tier/) })]);
  });
});

describe("Role (Office@Hand)", () => {
  it("creates a custom role with its holders, reads it back equal, refuses a preset name", async () => {
    const p = await startPlatform({ rateLimit: false });
    try {
      const tenant = p.createTenant({ name: "OAH", profile: "officeathand" });
      p.addDirectoryEntry(tenant.id, { extension: "301", displayName: "Ann", email: "ann@oah.example" });
      p.createPortalUser(tenant.id, { email: "admin@oah.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
      const h = await ProviderHost.start();
      await h.configure({ "analytics-access:endpoint": p.url, "analytics-access:token": p.issueToken(tenant.id, "admin@oah.example") });
      try {
        const role = await desired("role", "viewers", { name: "Report viewers", reportPermissions: ["performance", "companyNumbers"], members: ["301"] });
        const up = await h.up([role]);
        expect(up.ok, JSON.stringify(up.steps)).toBe(true);
        expect(up.states[0].outputs).toMatchObject({ name: "Report viewers", reportPermissions: ["companyNumbers", "performance"], members: ["301"] });
        const roles = (await (await fetch(`${p.apiUrl}/roles`, { headers: { authorization: `Bearer ${p.adminToken ?? p.issueToken(tenant.id, "admin@oah.example")}` } })).json()) as { items: { name: string; permissions: string[] }[] };
        expect(roles.items.find((r) => r.name === "Report viewers")?.permissions).toEqual(["company-numbers", "performance"]);
        const refreshed = await h.refresh(up.states);
        expect(refreshed.states[0].outputs).toMatchObject({ members: ["301"] });
        expect((await h.up([role], refreshed.states)).steps.map((s) => s.op)).toEqual(["same"]);
        const preset = await h.preview([await desired("role", "super", { name: "Super Admin", reportPermissions: ["performance"] })]);
        expect(preset[0].failures?.[0].reason).toMatch(/^\[ROLE-2\] "Super Admin" is a preset role and is read-only/);
        expect((await h.destroy(up.states)).ok).toBe(true);
      } finally {
        await h.stop();
      }
    } finally {
      await p.close();
    }
  });
});

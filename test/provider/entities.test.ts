// Groups, workspaces, workspace grants and named roles through the engine model (a real program,
// the SDK's real dynamic-provider host) against the platform: create (or adopt by name), no-op,
// update, replace, refresh, delete.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform } from "../../platform";
import { Stack } from "../support/engine";
import { declaredProject, type Declared } from "../support/projects";
import { chains, checkFailures, dynamicSteps, expectNowhere, nameOf, ops, stepOf, tenantStack } from "../support/runs";
import { startTestTenant, type TestTenant } from "../support/tenant";

let t: TestTenant;

beforeAll(async () => {
  t = await startTestTenant();
});
afterAll(async () => t?.close());

const api = async <T>(path: string): Promise<T> => (await (await fetch(`${t.platform.apiUrl}${path}`, { headers: { authorization: `Bearer ${t.adminToken}` } })).json()) as T;

// The groups, the workspace grants, the WS-2 rejection and the Office@Hand roles touch different
// entities (or another platform): their stacks run side by side.
describe.concurrent("entities through the engine", () => {
  describe("Group", () => {
    it("creates, leaves alone, updates, deletes", async () => {
      const sales = (description: string): Declared => ({ kind: "Group", name: "sales", args: { name: "Sales", description } });
      const p = declaredProject({ resources: [sales("Inbound")] });
      const stack = tenantStack(t, p.dir);
      const created = await stack.up();
      expect(created.ok, created.text()).toBe(true);
      expect(ops(created)).toEqual({ sales: "create" });
      const firstId = stack.resources()[0].id;
      expect((await api<{ items: { id: string; name: string; description: string }[] }>("/groups")).items).toEqual([expect.objectContaining({ id: firstId, name: "Sales", description: "Inbound" })]);

      const same = await stack.up();
      expect(ops(same)).toEqual({ sales: "same" });
      expect(same.calls.filter((c) => ["create", "update", "delete"].includes(c.method))).toEqual([]);

      p.declare({ resources: [sales("Inbound and outbound")] });
      const changed = await stack.up();
      expect(ops(changed)).toEqual({ sales: "update" });
      expect(stepOf(changed, "sales").diff).toMatchObject({ changedKeys: ["description"], replaceKeys: [] });
      expect((await api<{ items: { description: string }[] }>("/groups")).items[0].description).toBe("Inbound and outbound");

      const destroyed = await stack.destroy();
      expect(destroyed.ok, destroyed.text()).toBe(true);
      expect(stack.state().resources).toEqual([]);
      expect((await api<{ items: unknown[] }>("/groups")).items).toEqual([]);

      // Declared again after a delete: a new group, not a replay of the first create.
      const again = await stack.up();
      expect(dynamicSteps(again).map((s) => [s.op, s.error])).toEqual([["create", undefined]]);
      const againId = stack.resources()[0].id;
      expect(againId).not.toBe(firstId);
      expect((await api<{ items: { id: string }[] }>("/groups")).items.map((x) => x.id)).toEqual([againId]);
      expect((await stack.destroy()).ok).toBe(true);
      expectNowhere(again, stack, t.adminToken);
    });
  });

  describe("adoption of an existing group and workspace", () => {
    // The portal already has both, with a description; the program declares them without one. The
    // platform refuses `description: null` (422), which an adoption once sent, failing mid-`up`.
    it("adopts them by name, makes their description the declared one (none), and fails nothing", async () => {
      const own = await startTestTenant(); // a tenant of its own: the tests beside it count the groups and workspaces
      try {
        const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
          const res = await fetch(`${own.platform.apiUrl}${path}`, {
            method, headers: { authorization: `Bearer ${own.adminToken}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
          });
          expect(res.status, `${method} ${path}`).toBeLessThan(300);
          return (await res.json()) as T;
        };
        const group = await call<{ id: string; etag: string }>("POST", "/groups", { name: "Night Shift", description: "Made in the portal" });
        const workspace = await call<{ id: string; etag: string }>("POST", "/workspaces", { name: "Wallboards", description: "Made in the portal" });
        const p = declaredProject({
          resources: [
            { kind: "Group", name: "night", args: { name: "Night Shift" } },
            { kind: "Workspace", name: "wall", args: { name: "Wallboards" } },
          ],
        });
        const stack = tenantStack(own, p.dir);
        own.platform.resetStats();
        const up = await stack.up();
        expect(up.ok, up.text()).toBe(true);
        expect(dynamicSteps(up).map((s) => [nameOf(s.urn), s.op, s.error]).sort()).toEqual([["night", "create", undefined], ["wall", "create", undefined]]);
        // Adopted (README, "create": adopted by name): the same entities, no new one, changed in place.
        const { byRoute } = own.platform.stats();
        expect(byRoute["POST /groups"]).toBeUndefined();
        expect(byRoute["POST /workspaces"]).toBeUndefined();
        expect(byRoute["PATCH /groups/{id}"]).toBe(1);
        expect(byRoute["PATCH /workspaces/{id}"]).toBe(1);
        expect(stack.resources().map((r) => [nameOf(r.urn), r.id]).sort()).toEqual([["night", group.id], ["wall", workspace.id]]);
        // The declaration is what the portal now holds: no description.
        expect((await call<{ items: unknown[] }>("GET", "/groups")).items).toEqual([expect.objectContaining({ id: group.id, name: "Night Shift", description: "" })]);
        expect((await call<{ items: unknown[] }>("GET", "/workspaces")).items).toEqual([expect.objectContaining({ id: workspace.id, name: "Wallboards", description: "" })]);
        for (const r of stack.resources()) {
          expect(r.outputs).toMatchObject({ entityId: r.id, etag: expect.any(String) });
          expect(r.outputs).not.toHaveProperty("description");
        }
        expect(stack.resources().find((r) => nameOf(r.urn) === "night")?.outputs.etag).not.toBe(group.etag);

        // Under management from now on: the next up has nothing to do.
        const again = await stack.up();
        expect(again.ok, again.text()).toBe(true);
        expect(ops(again)).toEqual({ night: "same", wall: "same" });
        expectNowhere(up, stack, own.adminToken);
      } finally {
        await own.close();
      }
    });
  });

  describe("Workspace and WorkspaceGrant", () => {
    // No dependsOn: the grant's create may start before its user's and workspace's have finished.
    const declared = (user: string, access: string): Declared[] => [
      { kind: "User", name: "u201", args: { extension: "201", tier: "analytics" } },
      { kind: "User", name: "u202", args: { extension: "202", tier: "liveAnalytics" } },
      { kind: "Workspace", name: "floor", args: { name: "Sales Floor" } },
      { kind: "WorkspaceGrant", name: "floor-grant", args: { user, workspace: "Sales Floor", access } },
    ];
    const p = declaredProject({ resources: declared("user201@acme.example", "view") });
    let stack: Stack;
    beforeAll(() => {
      stack = tenantStack(t, p.dir);
    });

    it("grants a user a workspace, changes the level in place, moves it to another user by replacing", async () => {
      const first = await stack.up();
      expect(first.ok, first.text()).toBe(true);
      expect(ops(first)).toEqual({ u201: "create", u202: "create", floor: "create", "floor-grant": "create" });
      const users = (await api<{ items: { id: string; extension: string }[] }>("/users")).items;
      let grants = (await api<{ items: { access: string; userId: string }[] }>("/workspace-grants")).items;
      expect(grants).toEqual([expect.objectContaining({ access: "view", userId: users.find((u) => u.extension === "201")!.id })]);

      p.declare({ resources: declared("user201@acme.example", "admin") });
      const admin = await stack.up();
      expect(admin.ok, admin.text()).toBe(true);
      expect(ops(admin)).toEqual({ u201: "same", u202: "same", floor: "same", "floor-grant": "update" });
      expect(stepOf(admin, "floor-grant").diff).toMatchObject({ changedKeys: ["access"], replaceKeys: [] });
      expect((await api<{ items: { access: string }[] }>("/workspace-grants")).items).toEqual([expect.objectContaining({ access: "admin" })]);

      p.declare({ resources: declared("202", "admin") });
      const moved = await stack.up();
      expect(moved.ok, moved.text()).toBe(true);
      expect(ops(moved)).toEqual({ u201: "same", u202: "same", floor: "same", "floor-grant": "replace" });
      expect(chains(moved)["floor-grant"].find((s) => s.op === "replace")?.diff).toMatchObject({ replaceKeys: ["user"] });
      grants = (await api<{ items: { access: string; userId: string }[] }>("/workspace-grants")).items;
      const u202 = users.find((u) => u.extension === "202")!;
      expect(grants).toEqual([expect.objectContaining({ userId: u202.id, access: "admin" })]);

      // Removed in the portal: refresh drops it from state.
      const grantId = stack.resources().find((r) => nameOf(r.urn) === "floor-grant")!.id;
      const del = await fetch(`${t.platform.apiUrl}/workspace-grants/${grantId}`, { method: "DELETE", headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(del.status).toBeLessThan(300);
      const refreshed = await stack.refresh();
      expect(refreshed.ok, refreshed.text()).toBe(true);
      expect(dynamicSteps(refreshed).map((s) => [nameOf(s.urn), s.op, Boolean(s.gone)]).sort()).toEqual([["floor", "refresh", false], ["floor-grant", "refresh", true], ["u201", "refresh", false], ["u202", "refresh", false]]);
      expect(stack.resources().map((r) => nameOf(r.urn)).sort()).toEqual(["floor", "u201", "u202"]);

      const destroyed = await stack.destroy();
      expect(destroyed.ok, destroyed.text()).toBe(true);
      expect((await api<{ items: unknown[] }>("/workspaces")).items).toEqual([]);
      expect((await api<{ items: unknown[] }>("/workspace-grants")).items).toEqual([]);
      expectNowhere(destroyed, stack, t.adminToken);
    });

    it("Check rejects a grant for a user below the Analytics tier (WS-2)", async () => {
      const grant: Declared = { kind: "WorkspaceGrant", name: "low", args: { user: "user203@acme.example", workspace: "Any", access: "view" } };
      // The workspace declared before the grant, in the same run: only the user is wrong.
      const project = declaredProject({ resources: [{ kind: "Workspace", name: "any", args: { name: "Any" } }, grant] });
      const rejecting = tenantStack(t, project.dir);
      const r = await rejecting.preview();
      expect(r.ok).toBe(false);
      expect(ops(r)).toEqual({ any: "create" });
      expect(checkFailures(r, "low")).toEqual([
        expect.objectContaining({ property: "user", reason: expect.stringMatching(/^\[WS-1\] user203@acme.example has no Website Access/) }),
        expect.objectContaining({ property: "user", reason: expect.stringMatching(/^\[WS-2\].*analytics tier/) }),
      ]);
      // Declared nowhere (not in this run, not in the tenant): the workspace is wrong too.
      project.declare({ resources: [grant] });
      const alone = await rejecting.preview();
      expect(alone.ok).toBe(false);
      expect(dynamicSteps(alone)).toEqual([]);
      expect(checkFailures(alone, "low")).toEqual([
        expect.objectContaining({ property: "workspace", reason: expect.stringMatching(/^\[WS-1\] workspace "Any" does not exist/) }),
        expect.objectContaining({ property: "user", reason: expect.stringMatching(/^\[WS-1\]/) }),
        expect.objectContaining({ property: "user", reason: expect.stringMatching(/^\[WS-2\].*analytics tier/) }),
      ]);
      expect((await api<{ items: { name: string }[] }>("/workspaces")).items.map((w) => w.name)).not.toContain("Any");
      expectNowhere(alone, rejecting, t.adminToken);
    });
  });

  describe("Role (Office@Hand)", () => {
    it("creates a custom role with its holders, reads it back equal, refuses a preset name", async () => {
      const p = await startPlatform({ rateLimit: false });
      try {
        const tenant = p.createTenant({ name: "OAH", profile: "officeathand" });
        p.addDirectoryEntry(tenant.id, { extension: "301", displayName: "Ann", email: "ann@oah.example" });
        p.createPortalUser(tenant.id, { email: "admin@oah.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
        const token = p.issueToken(tenant.id, "admin@oah.example");
        const role: Declared = { kind: "Role", name: "viewers", args: { name: "Report viewers", reportPermissions: ["performance", "companyNumbers"], members: ["301"] } };
        const project = declaredProject({ resources: [role] });
        const stack = new Stack({ dir: project.dir, stack: "dev", config: { "analytics-access:endpoint": p.url }, secrets: { "analytics-access:token": token } });
        const state = () => stack.resources()[0];

        const up = await stack.up();
        expect(up.ok, up.text()).toBe(true);
        expect(ops(up)).toEqual({ viewers: "create" });
        expect(state().outputs).toMatchObject({ name: "Report viewers", reportPermissions: ["companyNumbers", "performance"], members: ["301"] });
        const roles = (await (await fetch(`${p.apiUrl}/roles`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { name: string; permissions: string[] }[] };
        expect(roles.items.find((r) => r.name === "Report viewers")?.permissions).toEqual(["company-numbers", "performance"]);

        const refreshed = await stack.refresh();
        expect(refreshed.ok, refreshed.text()).toBe(true);
        expect(stepOf(refreshed, "viewers").drift).toMatchObject({ changes: "none" });
        expect(state().outputs).toMatchObject({ members: ["301"] });
        const again = await stack.up();
        expect(ops(again)).toEqual({ viewers: "same" });

        project.declare({ resources: [role, { kind: "Role", name: "super", args: { name: "Super Admin", reportPermissions: ["performance"] } }] });
        const preset = await stack.preview();
        expect(preset.ok).toBe(false);
        expect(checkFailures(preset, "super")[0]?.reason).toMatch(/^\[ROLE-2\] "Super Admin" is a preset role and is read-only/);

        const destroyed = await stack.destroy();
        expect(destroyed.ok, destroyed.text()).toBe(true);
        expect(stack.state().resources).toEqual([]);
        const after = (await (await fetch(`${p.apiUrl}/roles`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { name: string }[] };
        expect(after.items.map((r) => r.name)).not.toContain("Report viewers");
        expectNowhere(destroyed, stack, token);
        for (const r of [up, refreshed, again, preset]) expect(r.text()).not.toContain(token);
      } finally {
        await p.close();
      }
    });
  });
});

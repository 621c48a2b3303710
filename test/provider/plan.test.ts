/**
 * A pull request as Pulumi's engine runs it (the engine model), against the real platform: what
 * preview judges, what it lets through, and what `up`, refresh and resource options then do.
 * Each case here broke a platform team's first day before: see the issue "The first real user".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Stack, UNKNOWN, type CallRecord, type RunResult } from "../support/engine";
import { declaredProject, type Declared } from "../support/projects";
import { apiUser, startTestTenant, type TestTenant } from "../support/tenant";

let t: TestTenant;
beforeAll(async () => {
  t = await startTestTenant({ users: 8 });
});
afterAll(async () => t?.close());

const name = (urn: string) => urn.split("::").pop();
const stepOf = (r: RunResult, n: string) => r.steps.find((s) => name(s.urn) === n);
const checkOf = (r: RunResult, n: string) => r.calls.find((c: CallRecord) => c.method === "check" && name(c.urn) === n);
const stackFor = (dir: string, secret = true) =>
  new Stack({
    dir, stack: "dev",
    config: { "analytics-access:endpoint": t.platform.url, "analytics-access:licenceWaitSeconds": "3", ...(secret ? {} : { "analytics-access:token": t.adminToken }) },
    secrets: secret ? { "analytics-access:token": t.adminToken } : {},
  });
const user = (n: string, args: Record<string, unknown>, opts?: Declared["opts"]): Declared => ({ kind: "User", name: n, args, ...(opts ? { opts } : {}) });

/** A change made in the portal by hand: the user's role keys replaced. */
async function portalSetRoles(email: string, roles: string[]): Promise<void> {
  const u = (await apiUser(t, email))!;
  const res = await fetch(`${t.platform.apiUrl}/users/${u.id}`, {
    method: "PATCH", headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json", "if-match": u.etag }, body: JSON.stringify({ roles }),
  });
  expect(res.status, await res.text()).toBe(200);
}

describe("a plan that creates what it uses previews and applies", () => {
  it("a new group and a user put in it", async () => {
    const p = declaredProject({
      resources: [
        { kind: "Group", name: "night", args: { name: "Night Shift" } },
        user("u201", { extension: "201", tier: "reports", groups: ["Night Shift"], primaryGroup: "Night Shift" }, { dependsOn: ["night"] }),
      ],
    });
    const stack = stackFor(p.dir);
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(t.platform.stats().writes).toBe(0);
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect((await apiUser(t, "user201@acme.example"))?.roles).toContain("customer.supervisor.reports");
  });

  it("a tier raised and a workspace granted in the same pull request", async () => {
    const p = declaredProject({ resources: [user("u202", { extension: "202", tier: "reports" })] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    p.declare({
      resources: [
        { kind: "Workspace", name: "floor", args: { name: "Floor" } },
        user("u202", { extension: "202", tier: "analytics" }),
        { kind: "WorkspaceGrant", name: "grant", args: { user: "user202@acme.example", workspace: "Floor", access: "view" }, opts: { dependsOn: ["floor", "u202"] } },
      ],
    });
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(stepOf(preview, "u202")?.diff).toMatchObject({ decidedBy: "engine", changedKeys: ["tier"] });
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
  });

  it("still rejects at preview what breaks a rule, naming the rule, the resource and the fix", async () => {
    const p = declaredProject({
      resources: [
        user("u203", { extension: "203", tier: "reports" }),
        { kind: "Workspace", name: "wall", args: { name: "Wallboards" } },
        // The grant names the user by its email output: known at preview, so WS-2 is judged there.
        { kind: "WorkspaceGrant", name: "grant", args: { user: { $ref: "u203.email" }, workspace: "Wallboards", access: "view" }, opts: { dependsOn: ["wall"] } },
      ],
    });
    const stack = stackFor(p.dir);
    const before = t.platform.stats().writes;
    const preview = await stack.preview();
    expect(preview.ok).toBe(false);
    expect(preview.text()).toMatch(/WorkspaceGrant resource 'grant': property user value "user203@acme.example" has a problem: \[WS-2\] .*Fix: raise the user's tier/);
    expect(t.platform.stats().writes).toBe(before);
  });
});

describe("unknowns at preview", () => {
  it("a user's permissions not known yet: Check passes and says so, Diff shows an update of `permissions`, up applies it", async () => {
    const p = declaredProject({ resources: [user("u204", { extension: "204", tier: "analytics" })] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    p.declare({
      resources: [
        { kind: "Group", name: "late", args: { name: "Late" } },
        // permissions known only once the new group exists: unknown at preview
        user("u204", { extension: "204", tier: "analytics", permissions: { $after: "late.entityId", value: { silentMonitor: true } } }),
      ],
    });
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(checkOf(preview, "u204")?.news).toMatchObject({ permissions: UNKNOWN });
    expect(stepOf(preview, "u204")).toMatchObject({ op: "update", diff: { changedKeys: ["permissions"] } });
    expect(preview.hostOutput).toMatch(/user ext 204: permissions is not known until apply/);
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect((await apiUser(t, "user204@acme.example"))?.roles).toContain("customer.permission.silentmonitor");
  });

  it("a grant's access not known yet: Check judges the rest and passes", async () => {
    const p = declaredProject({ resources: [user("u201", { extension: "201", tier: "analytics" }), { kind: "Workspace", name: "desk", args: { name: "Desk" } }] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    p.declare({
      resources: [
        { kind: "Group", name: "later", args: { name: "Later" } },
        user("u201", { extension: "201", tier: "analytics" }),
        { kind: "Workspace", name: "desk", args: { name: "Desk" } },
        { kind: "WorkspaceGrant", name: "grant", args: { user: "201", workspace: "Desk", access: { $after: "later.entityId", value: "admin" } }, opts: { dependsOn: ["desk"] } },
      ],
    });
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(checkOf(preview, "grant")?.news).toMatchObject({ access: UNKNOWN });
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(stepOf(up, "grant")?.op).toBe("create");
  });
});

describe("an Office@Hand role whose holders are not known at preview", () => {
  it("passes Check with the role judged, and assigns the holders once known", async () => {
    const oah = t.platform.createTenant({ name: "OAH", profile: "officeathand" });
    t.platform.addDirectoryEntry(oah.id, { extension: "301", displayName: "Ann", email: "ann@oah.example" });
    t.platform.createPortalUser(oah.id, { email: "admin@oah.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
    const token = t.platform.issueToken(oah.id, "admin@oah.example");
    const p = declaredProject({
      resources: [
        user("ann", { extension: "301" }),
        { kind: "Role", name: "viewers", args: { name: "Report viewers", reportPermissions: ["performance"], members: { $after: "ann.userId", value: ["301"] } } },
      ],
    });
    const stack = new Stack({ dir: p.dir, stack: "dev", config: { "analytics-access:endpoint": t.platform.url }, secrets: { "analytics-access:token": token } });
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(checkOf(preview, "viewers")?.news).toMatchObject({ members: UNKNOWN });
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(stack.resources().find((r) => name(r.urn) === "viewers")?.outputs).toMatchObject({ members: ["301"], reportPermissions: ["performance"] });

    // A role the tenant refuses is still judged at preview while its holders are unknown.
    p.declare({ resources: [user("ann", { extension: "301" }), { kind: "Role", name: "viewers", args: { name: "Super Admin", members: { $after: "ann.userId", value: ["301"] } } }] });
    const bad = await stack.preview();
    expect(bad.ok).toBe(false);
    expect(bad.text()).toMatch(/\[ROLE-2\]/);
  });
});

describe("unknowns that stay unknown until apply", () => {
  it("a grant whose user is not known at preview: said at preview, judged before the grant is written", async () => {
    const p = declaredProject({
      resources: [
        { kind: "Group", name: "g", args: { name: "Grant Group" } },
        { kind: "Workspace", name: "ops", args: { name: "Ops" } },
        // The user reference itself depends on an output only the platform knows.
        { kind: "WorkspaceGrant", name: "grant", args: { user: { $after: "g.entityId", value: "203" }, workspace: "Ops", access: "view" }, opts: { dependsOn: ["ops"] } },
      ],
    });
    const stack = stackFor(p.dir);
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(preview.hostOutput).toMatch(/grant \(user\) → Ops: user is not known until apply, so WS-1 and WS-2 cannot be judged at preview/);
    const up = await stack.up();
    expect(up.ok).toBe(false);
    expect(up.text()).toMatch(/WorkspaceGrant resource 'grant': property user value "203" has a problem: \[WS-1\] 203 has no Website Access/);
    expect(up.calls.filter((c) => c.method === "create" && name(c.urn) === "grant")).toEqual([]);
  });
});

describe("one list per collection per run", () => {
  it("an up of many changes lists users once, however many writes it makes", async () => {
    const big = await startTestTenant({ users: 40, licences: { analytics: 40 } });
    try {
      const users = (tier: string) => Array.from({ length: 40 }, (_, i) => user(`u${201 + i}`, { extension: String(201 + i), tier }));
      const p = declaredProject({ resources: users("reports") });
      const stack = new Stack({ dir: p.dir, stack: "dev", config: big.config(), secrets: { "analytics-access:token": big.adminToken } });
      expect((await stack.up()).ok).toBe(true);
      p.declare({ resources: users("analytics") });
      big.platform.resetStats();
      const up = await stack.up();
      expect(up.ok, up.text()).toBe(true);
      const { byRoute, total, writes } = big.platform.stats();
      expect(byRoute["GET /users"]).toBe(1);
      expect(writes).toBe(40);
      expect(total / 40).toBeLessThanOrEqual(1.3); // 40 PATCHes + one read of each collection
    } finally {
      await big.close();
    }
  });
});

describe("refresh and resource options", () => {
  it("refresh shows what changed in the portal; the next up puts it back; ignoreChanges keeps it", async () => {
    const p = declaredProject({ resources: [user("u205", { extension: "205", tier: "analytics" }), user("u206", { extension: "206", tier: "analytics" }, { ignoreChanges: ["tier"] })] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    for (const email of ["user205@acme.example", "user206@acme.example"])
      await portalSetRoles(email, ["customer.user.pbx", "customer.supervisor.reports", "customer.permission.website"]);

    const refresh = await stack.refresh();
    expect(refresh.ok, refresh.text()).toBe(true);
    expect(stepOf(refresh, "u205")?.drift).toMatchObject({ changes: "some", changedKeys: ["tier"], decidedBy: "engine" });
    expect(stack.resources().find((r) => name(r.urn) === "u205")?.inputs).toMatchObject({ tier: "reports" });

    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(stepOf(up, "u205")).toMatchObject({ op: "update", diff: { changedKeys: ["tier"] } });
    expect(stepOf(up, "u206")?.op).toBe("same");
    expect((await apiUser(t, "user205@acme.example"))?.roles).toContain("customer.supervisor.analytics");
    expect((await apiUser(t, "user206@acme.example"))?.roles).toContain("customer.supervisor.reports");
  });

  it("replaceOnChanges replaces on a changed key, deleting first (a user is found by its extension)", async () => {
    const p = declaredProject({ resources: [user("u207", { extension: "207", tier: "reports" })] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    p.declare({ resources: [user("u207", { extension: "207", tier: "analytics" }, { replaceOnChanges: ["tier"] })] });
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(up.steps.filter((s) => name(s.urn) === "u207").map((s) => s.op)).toEqual(["delete-replaced", "replace", "create-replacement"]);
    expect((await apiUser(t, "user207@acme.example"))?.roles).toContain("customer.supervisor.analytics");
  });
});

describe("a CLI killed after the platform answered a create", () => {
  it("leaves a pending create; the next up warns, adopts what the platform did create, and makes no duplicate", async () => {
    const auditor = user("auditor", { email: "killed.auditor@partner.example", displayName: "Auditor", tier: "reports" });
    const p = declaredProject({ resources: [auditor] });
    const stack = stackFor(p.dir);
    // Killed the moment the platform has answered the create, before the CLI wrote it down.
    const killed = await stack.up({ onEvent: (e, c) => { if (e.kind === "call" && e.method === "create" && e.phase === "end") c.kill(); } });
    expect(killed.killed).toBe(true);
    expect(stack.state().pendingOperations.map((o) => `${o.type} ${name(o.resource.urn)}`)).toEqual(["creating auditor"]);
    expect(stack.resources()).toEqual([]);
    expect(await apiUser(t, "killed.auditor@partner.example")).toBeDefined();

    const next = await stack.up();
    expect(next.ok, next.text()).toBe(true);
    expect(next.diagnostics.some((d) => d.severity === "warning" && /interrupted while creating/.test(d.message))).toBe(true);
    const res = await fetch(`${t.platform.apiUrl}/users?limit=500`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    const all = ((await res.json()) as { items: { email: string }[] }).items.filter((u) => u.email === "killed.auditor@partner.example");
    expect(all).toHaveLength(1);
    expect(stack.resources().map((r) => name(r.urn))).toEqual(["auditor"]);
  });
});

describe("the user the token belongs to", () => {
  it("is never deleted by a stack that stops declaring it: the run fails, saying why, and the token keeps working", async () => {
    // A tenant export lists the acting credential's own user like any other; a stack applying it
    // then editing it out would otherwise delete the token's user and lock itself out.
    const admin = user("admin", { email: "admin@acme.example", displayName: "Admin", permissions: { websiteAccess: true, manageUsers: true, manageBillableItems: true, workspaceAdministrator: true } });
    const p = declaredProject({ resources: [admin, user("other", { email: "someone@partner.example", displayName: "Someone", tier: "reports" })] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    p.declare({ resources: [] });
    const up = await stack.up();
    expect(up.ok).toBe(false);
    expect(up.text()).toMatch(/user admin@acme\.example is the user the stack's token belongs to; removing it would lock the stack out of the portal/);
    expect(await apiUser(t, "admin@acme.example")).toBeDefined();
    expect(await apiUser(t, "someone@partner.example")).toBeUndefined();
  });
});

describe("the token", () => {
  it("set in plain configuration lands in state, and every run warns", async () => {
    const p = declaredProject({ resources: [user("u208", { extension: "208" })] });
    const plain = stackFor(p.dir, false);
    const preview = await plain.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(preview.logs.find((l) => l.severity === "warning")?.message).toMatch(/analytics-access:token is plain configuration.*pulumi config set --secret/);
    await plain.up();
    expect(plain.stateFile.text()).toContain(t.adminToken);

    const secret = stackFor(p.dir, true);
    const up = await secret.up();
    expect(up.logs.filter((l) => l.severity === "warning")).toEqual([]);
    expect(secret.stateFile.text()).not.toContain(t.adminToken);
    expect(up.text()).not.toContain(t.adminToken);
  });
});

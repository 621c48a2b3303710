// Named-role membership through the engine model, on Office@Hand, through the embedded backend and
// the ringcentral backend (both served by the embedded platform): a preset named in a user's
// `roles` is assigned; under `additive` (the default) a holder assigned in the portal survives
// `up` and taking a user out of the role removes only that one; under `authoritative` the portal's
// holder is removed; destroy takes away only what the stack listed. The review (given the previous
// manifest) and the preview say what `up` then does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "../../platform";
import { roleLine, renderMarkdown, reviewPlan } from "../../review";
import { Manifest, type ManifestInput } from "../../schema";
import { Session, settingsFrom } from "../../provider/session";
import { Stack } from "../support/engine";
import { declaredProject } from "../support/projects";
import { checkFailures } from "../support/runs";

const ADMIN = "admin@roles.example";
const CLIENT_ID = "roles-app";
const CLIENT_SECRET = "roles-app-secret-77aa";

let p: RunningPlatform;
beforeAll(async () => { p = await startPlatform({ rateLimit: false }); });
afterAll(async () => p?.close());

interface Target { config: Record<string, string>; secrets: Record<string, string>; env: Record<string, string> }

/** An Office@Hand tenant: extensions 301–305; "Super Admin" held by 304 and a custom "Floor" role held by 305, both assigned in the portal. */
function tenant(backend: "embedded" | "ringcentral"): { id: string; t: Target } {
  const created = p.createTenant({ name: `Roles ${backend}`, profile: "officeathand" });
  for (let i = 1; i <= 5; i++) p.addDirectoryEntry(created.id, { extension: String(300 + i), displayName: `User ${300 + i}`, email: `user${300 + i}@roles.example` });
  p.createPortalUser(created.id, { email: ADMIN, displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable"] });
  const ext = (e: string) => p.store.getUserByExtension(created.id, e)!.id;
  const sa = p.store.getRoleByName(created.id, "Super Admin")!;
  p.store.updateRole({ ...sa, userIds: [ext("304")], version: sa.version + 1 });
  const now = new Date().toISOString();
  p.store.insertRole({ id: `rol_floor_${backend}`, tenantId: created.id, name: "Floor", description: "", permissions: ["performance"], accountScopes: [], preset: false, userIds: [ext("305")], version: 1, createdAt: now, updatedAt: now });
  if (backend === "embedded") {
    const token = p.issueToken(created.id, ADMIN);
    return { id: created.id, t: { config: { "analytics-access:endpoint": p.url }, secrets: { "analytics-access:token": token }, env: { ANALYTICS_ACCESS_ENDPOINT: p.url, ANALYTICS_ACCESS_TOKEN: token } } };
  }
  const jwt = p.issueToken(created.id, ADMIN, "RingCentral JWT credential");
  return {
    id: created.id,
    t: {
      config: { "analytics-access:endpoint": p.url, "analytics-access:clientId": CLIENT_ID, "analytics-access:backend": "ringcentral" },
      secrets: { "analytics-access:token": jwt, "analytics-access:clientSecret": CLIENT_SECRET },
      env: { ANALYTICS_ACCESS_BACKEND: "ringcentral", ANALYTICS_ACCESS_ENDPOINT: p.url, ANALYTICS_ACCESS_TOKEN: jwt, ANALYTICS_ACCESS_CLIENT_ID: CLIENT_ID, ANALYTICS_ACCESS_CLIENT_SECRET: CLIENT_SECRET },
    },
  };
}

/** Holders' extensions by role name, as the platform stores them. */
const holders = (tenantId: string, role: string) =>
  p.store.getRoleByName(tenantId, role)?.userIds.map((id) => p.store.getUser(tenantId, id)!.extension!).sort();

/** The review's role lines for a manifest against the live tenant, as `review` would compute them. */
async function reviewLines(t: Target, m: ManifestInput, previous?: ManifestInput): Promise<string[]> {
  const facts = await new Session(settingsFrom(undefined, t.env)).facts();
  const r = reviewPlan(Manifest.parse(m), facts, previous ? { previous: Manifest.parse(previous) } : {});
  expect(renderMarkdown(r)).toContain("#### Roles");
  return (r.roles ?? []).map(roleLine);
}

const base = (floor: Record<string, unknown>, users: ManifestInput["users"]): ManifestInput => ({
  version: 1, profile: "officeathand", roles: [{ name: "Floor", reportPermissions: ["performance"], ...floor }], users,
});
const first = base({}, [{ extension: "301", roles: ["Super Admin", "Floor"] }, { extension: "302", roles: ["Floor"] }]);
const dropped = base({}, [{ extension: "301", roles: ["Super Admin", "Floor"] }, { extension: "302" }]);
const owned = base({ membership: "authoritative" }, [{ extension: "301", roles: ["Super Admin", "Floor"] }, { extension: "302" }]);

describe.each(["embedded", "ringcentral"] as const)("role membership through the %s backend", (backend) => {
  it("assigns a preset, keeps portal holders under additive, removes one dropped holder, removes portal holders under authoritative; review and preview say so", async () => {
    const { id, t } = tenant(backend);
    const project = declaredProject({ access: { inline: first } });
    const stack = new Stack({ dir: project.dir, stack: "dev", config: t.config, secrets: t.secrets });

    // 1. A preset named in a user's roles, and a custom role, additive (the default).
    expect(await reviewLines(t, first, { version: 1, profile: "officeathand", users: [] })).toEqual([
      "Floor (additive): adds ext 301, ext 302; leaves 1 other holder alone",
      "Super Admin (additive, holders only): adds ext 301; leaves 1 other holder alone",
    ]);
    // Without the previous manifest the review does not claim what it cannot know.
    expect((await reviewLines(t, first))[0]).toMatch(/^Floor \(additive\): adds ext 301, ext 302; 1 other holder not in the manifest: left alone, except any this stack listed before/);
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    expect(preview.hostOutput).toMatch(/role Super Admin \(additive\): adds 301; leaves 1 other holder alone/);
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(holders(id, "Super Admin")).toEqual(["301", "304"]);
    expect(holders(id, "Floor")).toEqual(["301", "302", "305"]);
    expect(p.store.getRoleByName(id, "Super Admin")!.permissions.length).toBe(7); // the preset itself untouched

    // 2. 302 taken out of Floor: only 302 loses it; 305, assigned in the portal, keeps it.
    project.declare({ access: { inline: dropped } });
    expect(await reviewLines(t, dropped, first)).toEqual([
      "Floor (additive): removes ext 302; leaves 1 other holder alone",
      "Super Admin (additive, holders only): leaves 1 other holder alone",
    ]);
    const up2 = await stack.up();
    expect(up2.ok, up2.text()).toBe(true);
    expect(up2.hostOutput).toMatch(/role Floor \(additive\): removes 302; leaves 1 other holder alone/);
    expect(holders(id, "Floor")).toEqual(["301", "305"]);
    expect(holders(id, "Super Admin")).toEqual(["301", "304"]);

    // 3. Floor authoritative: the manifest is the whole list, so 305 loses it; Super Admin stays additive.
    project.declare({ access: { inline: owned } });
    expect(await reviewLines(t, owned, dropped)).toEqual([
      "Floor (authoritative): removes ext 305",
      "Super Admin (additive, holders only): leaves 1 other holder alone",
    ]);
    const up3 = await stack.up();
    expect(up3.ok, up3.text()).toBe(true);
    expect(holders(id, "Floor")).toEqual(["301"]);
    expect(holders(id, "Super Admin")).toEqual(["301", "304"]);
    const noop = await stack.up();
    expect(noop.ok, noop.text()).toBe(true);
    expect(noop.hostOutput).not.toMatch(/role (Floor|Super Admin) \(/);

    // 4. A role that is neither declared nor in the tenant is refused at preview, with rule, resource and fix.
    project.declare({ access: { inline: { ...owned, users: [{ extension: "301", roles: ["Super Admni"] }] } } });
    const bad = await stack.preview();
    expect(bad.ok).toBe(false);
    expect(bad.text()).toMatch(/ROLE-1 user ext 301 \(users\.0\.roles\.0\): role "Super Admni" is not declared and does not exist in the tenant\. Fix: declare it under `roles`, or use one of: .*Super Admin/);

    // 5. Destroy: the custom role goes; of the preset only the holder this stack listed.
    project.declare({ access: { inline: owned } });
    const destroyed = await stack.destroy();
    expect(destroyed.ok, destroyed.text()).toBe(true);
    expect(holders(id, "Super Admin")).toEqual(["304"]);
    expect(p.store.getRoleByName(id, "Super Admin")).toBeDefined();
    expect(p.store.getRoleByName(id, "Floor")).toBeUndefined();
    expect(checkFailures(destroyed)).toEqual([]);
  }, 300_000);
});

describe("a Role resource managing the holders of an existing role", () => {
  it("is refused at preview, with rule, resource and fix, when the tenant has no role of that name; declares nothing but holders", async () => {
    const { t } = tenant("embedded");
    const project = declaredProject({ resources: [{ kind: "Role", name: "ghost", args: { name: "Ghost Admins", holdersOnly: true, members: ["301"] } }] });
    const stack = new Stack({ dir: project.dir, stack: "dev", config: t.config, secrets: t.secrets });
    const preview = await stack.preview();
    expect(preview.ok).toBe(false);
    expect(checkFailures(preview, "ghost")[0]?.reason).toMatch(/^\[ROLE-1\] role "Ghost Admins" is not declared and does not exist in the tenant\. Fix: declare it under `roles`/);
    project.declare({ resources: [{ kind: "Role", name: "sa", args: { name: "Super Admin", holdersOnly: true, reportPermissions: ["performance"], members: ["301"] } }] });
    const changing = await stack.preview();
    expect(changing.ok).toBe(false);
    expect(checkFailures(changing, "sa")[0]?.reason).toMatch(/^\[ROLE-2\] role "Super Admin" is managed for its holders only \(holdersOnly\), so its reportPermissions cannot be declared/);
  }, 120_000);
});

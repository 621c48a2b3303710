// normalizeUser: the defaults the portal applies and the role templates a manifest expands. The
// rules judge the effective user, so a wrong default here is a wrong verdict everywhere.
import { describe, expect, it } from "vitest";
import { knownTenant, manifest, manual, pbx } from "../test/support/builders";
import { buildContext, checkUser, type DirectoryEntry, normalizeUser, type Role, TenantFacts, User, validateManifest } from ".";

const roles = (...rs: Role[]) => new Map(rs.map((r) => [r.name, r] as const));

describe("defaults", () => {
  it("a PBX user is Essential, keyed by extension, and takes name and email from the directory", () => {
    const [entry] = TenantFacts.parse({ profile: "dimensions", directory: [{ extension: "201", displayName: "Ann Lee", email: "ann@example.com" }] }).directory!;
    const u = normalizeUser(User.parse(pbx("201")), { directory: new Map<string, DirectoryEntry>([["201", entry]]) });
    expect(u).toMatchObject({ key: "ext:201", origin: "pbx", accessType: "essential", email: "ann@example.com", displayName: "Ann Lee", tier: "none", permissions: [] });
  });

  it("a manual user has no user access licence and is keyed by its lower-case email", () => {
    const u = normalizeUser(User.parse(manual("Ann@Example.com")));
    expect(u).toMatchObject({ key: "email:ann@example.com", origin: "manual", accessType: "none", email: "Ann@Example.com", extension: null });
  });

  it("origin: pbx needs an extension and origin: manual refuses one", () => {
    expect(User.safeParse({ origin: "pbx", email: "ann@example.com" }).success).toBe(false);
    expect(User.safeParse({ origin: "manual", extension: "201", email: "ann@example.com" }).success).toBe(false);
    expect(User.safeParse({}).success).toBe(false);
  });
});

describe("Website Access", () => {
  it.each([
    ["a supervisor tier", pbx("201", { tier: "reports" })],
    ["the desktop client", pbx("201", { ucClient: { desktop: true } })],
    ["the CRM client", pbx("201", { addOns: ["crm"], ucClient: { crm: true } })],
    ["a softphone", pbx("201", { accessType: "professional", ucClient: { softphone: { device: "d201" } } })],
  ])("is granted automatically with %s, so its other permissions raise no WEB-2", (_what, decl) => {
    const user = User.parse({ ...decl, permissions: { manageUsers: true, recordingPlayback: "own" } });
    const u = normalizeUser(user);
    expect(u.permissions).toEqual(["websiteAccess", "manageUsers", "recordingPlayback"]);
    expect(u.websiteAccessDenied).toBe(false);
    expect(checkUser(user, buildContext(manifest()))).toEqual([]);
  });

  it("is not granted without a tier or UC client access, so other permissions raise WEB-2", () => {
    const user = User.parse(pbx("201", { permissions: { manageUsers: true } }));
    expect(normalizeUser(user).permissions).toEqual(["manageUsers"]);
    expect(checkUser(user, buildContext(manifest())).map((f) => f.rule)).toEqual(["WEB-2"]);
  });

  it("an explicit denial is kept, and remembered for WEB-1", () => {
    const u = normalizeUser(User.parse(pbx("201", { tier: "analytics", permissions: { websiteAccess: false } })));
    expect(u.permissions).not.toContain("websiteAccess");
    expect(u.websiteAccessDenied).toBe(true);
  });

  it("Recording Playback keeps its scope; false grants nothing", () => {
    expect(normalizeUser(User.parse(manual("a@example.com", { permissions: { websiteAccess: true, recordingPlayback: "all" } })))).toMatchObject({ recordingScope: "all", permissions: ["websiteAccess", "recordingPlayback"] });
    expect(normalizeUser(User.parse(manual("a@example.com", { permissions: { websiteAccess: true, recordingPlayback: false } })))).toMatchObject({ recordingScope: null, permissions: ["websiteAccess"] });
  });
});

describe("role templates", () => {
  const lead: Role = { name: "lead", tier: "liveAnalytics", permissions: { websiteAccess: true, manageUsers: true, silentMonitor: true }, addOns: ["agent"] };
  const reporter: Role = { name: "reporter", tier: "reports", permissions: { recordingPlayback: "own" }, addOns: ["agent", "crm"] };
  const ctx = { roles: roles(lead, reporter) };

  it("take the highest tier of the user's roles, whatever their order", () => {
    expect(normalizeUser(User.parse(pbx("201", { roles: ["reporter", "lead"] })), ctx).tier).toBe("liveAnalytics");
    expect(normalizeUser(User.parse(pbx("201", { roles: ["lead", "reporter"] })), ctx).tier).toBe("liveAnalytics");
  });

  it("merge permissions and add-ons of every role", () => {
    const u = normalizeUser(User.parse(pbx("201", { roles: ["lead", "reporter"] })), ctx);
    expect(u.permissions).toEqual(["websiteAccess", "manageUsers", "silentMonitor", "recordingPlayback"]);
    expect(u.recordingScope).toBe("own");
    expect(u.addOns).toEqual(["agent", "crm"]);
  });

  it("yield to the user's own declaration: tier (even a lower one) and each permission", () => {
    const u = normalizeUser(User.parse(pbx("201", { roles: ["lead"], tier: "reports", permissions: { manageUsers: false, webhooksAdministrator: true } })), ctx);
    expect(u.tier).toBe("reports");
    expect(u.permissions).toEqual(["websiteAccess", "silentMonitor", "webhooksAdministrator"]);
  });

  it("add the user's add-ons to the roles'", () => {
    expect(normalizeUser(User.parse(pbx("201", { roles: ["lead"], addOns: ["crm"] })), ctx).addOns).toEqual(["agent", "crm"]);
  });

  it("ignore a role that does not exist (ROLE-1 reports it)", () => {
    const decl = User.parse(pbx("201", { roles: ["ghost"] }));
    expect(normalizeUser(decl, ctx)).toMatchObject({ tier: "none", permissions: [], addOns: [], roles: ["ghost"] });
    expect(checkUser(decl, buildContext(manifest({ roles: [lead, reporter] }))).map((f) => f.rule)).toEqual(["ROLE-1"]);
  });

  it("are applied by validateManifest: a role's permission without Website Access is WEB-2 on the user", () => {
    const m = manifest({ roles: [{ name: "dirs", permissions: { manageContactDirectories: true } }], users: [manual("ann@example.com", { roles: ["dirs"] })] });
    const ctx = buildContext(m);
    expect(checkUser(m.users[0], ctx)).toEqual([
      expect.objectContaining({ rule: "WEB-2", path: ["permissions", "manageContactDirectories"] }),
    ]);
  });
});

describe("a user declared through a role template", () => {
  it("is no change when the live user already holds what the template expands to (no AUTH-1/BILL-1)", () => {
    const m = manifest({ roles: [{ name: "lead", tier: "analytics" }], users: [pbx("201", { roles: ["lead"] })] });
    const live = knownTenant({ credential: { permissions: [] }, users: [{ extension: "201", tier: "analytics", permissions: { websiteAccess: true } }] });
    expect(validateManifest(m, live).violations).toEqual([]);
  });
});

// The entry points: validateManifest over a whole manifest, and the per-resource ones the
// provider's Check uses (checkUser, checkRole and grantRules), which report findings relative to
// the resource, judged with the same context validateManifest builds.
import { describe, expect, it } from "vitest";
import { knownTenant, manifest, manual, pbx, tenant } from "../../test/support/builders";
import { buildContext, checkRole, checkUser, grantRules, normalizeUser, PERMISSIONS, RULE_IDS, RULES, User, validateManifest, WorkspaceGrant } from "..";

describe("checkUser", () => {
  it("reports paths relative to the user, where validateManifest prefixes them", () => {
    const decl = User.parse(manual("ann@example.com", { accessType: "professional" }));
    const findings = checkUser(decl, buildContext(manifest()));
    expect(findings).toEqual([{ rule: "SRC-1", path: ["accessType"], message: expect.stringMatching(/manual user/), fix: expect.any(String) }]);
    expect(validateManifest(manifest({ users: [manual("bob@example.com"), decl] })).violations.map((v) => v.path)).toEqual([["users", 1, "accessType"]]);
  });

  it("judges tenant facts only when the context has them", () => {
    const decl = User.parse(pbx("299", { addOns: ["agent"] }));
    expect(checkUser(decl, buildContext(manifest()))).toEqual([]);
    expect(checkUser(decl, buildContext(manifest(), knownTenant({ agentAutoAssign: true }))).map((f) => f.rule)).toEqual(["SRC-3", "AGT-1"]);
  });
});

describe("checkRole", () => {
  it("reports profile misfits, presets and master-account scopes", () => {
    const ctx = buildContext(manifest({ profile: "officeathand" }));
    expect(checkRole({ name: "Phone System Admin", tier: "reports" }, ctx).map((f) => [f.rule, f.path])).toEqual([
      ["PROF-1", ["tier"]],
      ["ROLE-2", ["name"]],
    ]);
    expect(checkRole({ name: "Live Desk", reportPermissions: ["liveReportsFullAccess"] }, ctx)).toEqual([]);
    const ip = buildContext(manifest({ profile: "intelepeer" }), knownTenant({ profile: "intelepeer", masterAccount: "ACME" }));
    expect(checkRole({ name: "all", accountScopes: ["ACME"] }, ip).map((f) => f.rule)).toEqual(["INS-1"]);
  });
});

describe("grantRules (WS-1, WS-2)", () => {
  const grant = (workspace: string, user = "ann@example.com") => WorkspaceGrant.parse({ user, workspace });
  const ann = normalizeUser(User.parse(manual("ann@example.com", { tier: "analytics" })));

  it("rejects a workspace that is neither declared nor live", () => {
    const ctx = buildContext(manifest({ workspaces: [{ name: "Ops" }] }), knownTenant({ workspaces: ["Sales floor"] }));
    expect(grantRules(grant("Ghost"), ann, ctx)).toEqual([
      { rule: "WS-1", path: ["workspace"], message: 'workspace "Ghost" does not exist', fix: expect.stringMatching(/declare the workspace, or fix its name/) },
    ]);
    expect(grantRules(grant("Ops"), ann, ctx)).toEqual([]);
    expect(grantRules(grant("Sales floor"), ann, ctx)).toEqual([]);
  });

  it("leaves an undeclared workspace and an unknown user unchecked without tenant facts", () => {
    expect(grantRules(grant("Ghost", "ghost@example.com"), undefined, buildContext(manifest()))).toEqual([]);
  });

  it("rejects a user below the Analytics tier, and one without Website Access", () => {
    const ctx = buildContext(manifest({ workspaces: [{ name: "Ops" }] }));
    const plain = normalizeUser(User.parse(manual("ann@example.com")));
    expect(grantRules(grant("Ops"), plain, ctx).map((f) => f.rule)).toEqual(["WS-1", "WS-2"]);
    const reports = normalizeUser(User.parse(manual("ann@example.com", { tier: "reports" })));
    expect(grantRules(grant("Ops"), reports, ctx).map((f) => f.rule)).toEqual(["WS-2"]);
  });
});

describe("validateManifest", () => {
  it("returns every violation at once", () => {
    const m = manifest({
      groups: [{ name: "Sales" }],
      users: [
        manual("ann@example.com", { accessType: "professional", permissions: { manageUsers: true } }), // SRC-1, WEB-2
        pbx("201", { accessType: "none" }), // SRC-2
        pbx("202", { addOns: ["agent"], ucClient: { crm: true } }), // UC-3
        pbx("203", { groups: ["Sales"], primaryGroup: "Support" }), // GRP-1
      ],
    });
    const { violations } = validateManifest(m);
    expect(violations.map((v) => v.rule).sort()).toEqual(["GRP-1", "SRC-1", "SRC-2", "UC-3", "WEB-2"]);
    expect(violations.map((v) => v.path[1])).toEqual(expect.arrayContaining([0, 1, 2, 3]));
  });

  it("reports offline every rule that needs tenant facts as unchecked, and judges none of them", () => {
    const { violations, unchecked } = validateManifest(
      manifest({ users: [pbx("299", { accessType: "professional", addOns: ["agent"], permissions: { websiteAccess: true, recordingPlayback: "all" }, groups: ["Ghosts"] })] }),
    );
    expect(violations).toEqual([]);
    expect(unchecked.sort()).toEqual(["AGT-1", "AUTH-1", "AUTH-2", "AUTH-3", "AUTH-4", "BILL-1", "GRP-1", "INS-1", "LIC-1", "REC-1", "SRC-3", "SRC-4", "UC-2", "WS-1", "X8-1", "X8-2"]);
    expect(unchecked.sort()).toEqual(RULE_IDS.filter((id) => RULES[id].needs.length > 0).sort());
  });

  it("reports as unchecked exactly the rules whose facts the tenant lacks", () => {
    const settingsOnly = tenant({ agentAutoAssign: true, licences: { professional: { capacity: 0 } } });
    const { violations, unchecked } = validateManifest(manifest({ users: [pbx("299", { addOns: ["agent"], accessType: "professional" })] }), settingsOnly);
    expect(unchecked.sort()).toEqual(["AUTH-1", "AUTH-2", "AUTH-3", "AUTH-4", "BILL-1", "GRP-1", "REC-1", "SRC-3", "SRC-4", "UC-2", "WS-1", "X8-1", "X8-2"]);
    // Settings and licences are judged; the directory is unknown, so extension 299 is not questioned.
    expect(violations.map((v) => v.rule).sort()).toEqual(["AGT-1", "LIC-1"]);
    expect(validateManifest(manifest(), knownTenant()).unchecked).toEqual([]);
    expect(validateManifest(manifest(), knownTenant({ credential: undefined })).unchecked.sort()).toEqual(["AUTH-1", "AUTH-2", "AUTH-3", "BILL-1"]);
    expect(validateManifest(manifest(), knownTenant({ credential: { permissions: [...PERMISSIONS] } })).unchecked).toEqual(["AUTH-3"]);
  });
});

// The per-resource entry points the provider's Check uses: checkUser, checkRole and grantRules
// report findings relative to the resource, judged with the same context validateManifest builds.
import { describe, expect, it } from "vitest";
import { buildContext, checkRole, checkUser, grantRules, normalizeUser, User, validateManifest, WorkspaceGrant } from "../../schema";
import { knownTenant, manifest, manual, pbx } from "./builders";

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

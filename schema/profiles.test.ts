// The capability tables: one per profile, checked for what the rest of the code takes for granted
// (the README's manifest example names every profile: test/docs.test.ts).
import { describe, expect, it } from "vitest";
import { IDENTITY_FIELDS, inProfileFields, Profile, PROFILES, profilesWith, User } from ".";

describe("profiles", () => {
  it("are the capability table's keys (the enum is derived from it), in its order", () => {
    expect(Profile.options).toEqual(Object.keys(PROFILES));
    expect(profilesWith((c) => c.roles === "named")).toEqual(Profile.options.filter((p) => PROFILES[p].roles === "named"));
  });

  it.each(Profile.options.map((p) => [p]))("%s: identity fields always, named roles assignable, presets only on named roles", (p) => {
    const c = PROFILES[p];
    expect(c.userFields).toEqual(expect.arrayContaining([...IDENTITY_FIELDS]));
    expect(c.roleFields).toEqual(expect.arrayContaining(["name", "description"]));
    if (c.roles === "named") expect(c.userFields).toContain("roles");
    if (c.presetRoles) {
      expect(c.roles).toBe("named");
      expect(c.roleFields).toContain("reportPermissions");
    }
    if (c.groupsAndWorkspaces) expect(c.userFields).toEqual(expect.arrayContaining(["groups", "primaryGroup"]));
    else expect(c.userFields).not.toContain("groups");
  });

  it("inProfileFields keeps only the profile's fields", () => {
    const u = User.parse({ extension: "201", tier: "reports", analyticsTier: "essentials", roles: ["r"] });
    expect(inProfileFields(u, "8x8")).toEqual({ extension: "201", analyticsTier: "essentials" });
    expect(inProfileFields(u, "officeathand")).toEqual({ extension: "201", roles: ["r"] });
    expect(inProfileFields(u, "dimensions")).toEqual({ extension: "201", tier: "reports", roles: ["r"] });
  });
});

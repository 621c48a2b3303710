// Permissions have one list, the `Permissions` map: the enum, PERMISSIONS and normalization derive
// from it, so a permission added to the map cannot be accepted by validation and then dropped.
import { describe, expect, it } from "vitest";
import { manual } from "../test/support/builders";
import { AUTHORITY_PERMISSIONS as PLATFORM_AUTHORITY, PERMISSIONS as PLATFORM_PERMISSIONS } from "../platform/keys";
import { permissionsOfKeys } from "../provider/backends/embedded/keys";
import { AUTHORITY_PERMISSIONS, normalizeUser, PERMISSIONS, Permission, Permissions, TenantFacts, User } from ".";

describe("permissions", () => {
  it("PERMISSIONS and the Permission enum are the permission map's keys, in the portal's order", () => {
    expect(PERMISSIONS).toEqual(Object.keys(Permissions.shape));
    expect(Permission.options).toEqual(Object.keys(Permissions.shape));
    expect(PERMISSIONS[0]).toBe("websiteAccess");
  });

  it.each(PERMISSIONS.map((p) => [p]))("%s, declared, is held by the normalized user", (p) => {
    const value = p === "recordingPlayback" ? "own" : true;
    const u = normalizeUser(User.parse(manual("ann@example.com", { permissions: { websiteAccess: true, [p]: value } })));
    expect(u.permissions).toContain(p);
  });

  it("every permission the map accepts is one a credential may hold in tenant facts", () => {
    const all = Object.fromEntries(PERMISSIONS.map((p) => [p, p === "recordingPlayback" ? "all" : true]));
    expect(normalizeUser(User.parse(manual("ann@example.com", { permissions: all }))).permissions).toEqual([...PERMISSIONS]);
    expect(TenantFacts.parse({ profile: "dimensions", credential: { permissions: [...PERMISSIONS] } }).credential?.permissions).toEqual([...PERMISSIONS]);
  });

  it("the authority permissions are the platform's, through the provider's key table (AUTH-2, AUTH-3, AUTH-4 judge what PERM-GRANT and LAST-ADMIN refuse)", () => {
    expect([...permissionsOfKeys(PLATFORM_AUTHORITY)].sort()).toEqual([...AUTHORITY_PERMISSIONS].sort());
    const others = Object.keys(PLATFORM_PERMISSIONS).filter((k) => !(PLATFORM_AUTHORITY as readonly string[]).includes(k));
    expect(permissionsOfKeys(others).filter((p) => AUTHORITY_PERMISSIONS.includes(p))).toEqual([]);
  });
});

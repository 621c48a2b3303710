// The provider's role keys for the model's permissions: every permission has its own key (the
// compiler asks for one: PERMISSION_KEY is a Record over Permission), and what the provider writes
// reads back as the same permissions.
import { describe, expect, it } from "vitest";
import { permissionsOfKeys, roleKeys, userFromApi } from "./keys";
import { normalizeUser, PERMISSIONS, User } from "../../../schema";

describe("role keys of permissions", () => {
  const all = Object.fromEntries(PERMISSIONS.map((p) => [p, p === "recordingPlayback" ? "all" : true]));
  const eff = normalizeUser(User.parse({ email: "ann@example.com", permissions: all }));

  it("gives every permission a key of its own, and reads them back", () => {
    const keys = roleKeys(eff);
    expect(new Set(keys).size).toBe(PERMISSIONS.length);
    expect(permissionsOfKeys(keys).sort()).toEqual([...PERMISSIONS].sort());
    const back = userFromApi({ id: "u1", origin: "manual", extension: null, displayName: "Ann", email: "ann@example.com", roles: keys, softphoneDevice: null, groups: [], primaryGroup: null, etag: "1" }, () => "");
    expect(back.permissions).toEqual(all);
  });
});

// The origin family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { dir, DIRECTORY, knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { origin } from "./origin";

describeRuleCases(origin, {
  "SRC-1": {
    breaks: [
      {
        name: "a user access licence on a manual user",
        manifest: manifest({ users: [manual("ann@example.com", { accessType: "professional" })] }),
        expect: [{ path: ["users", 0, "accessType"], message: /manual user cannot hold the professional user access licence/, fix: /portal access only.*origin: pbx/ }],
      },
      {
        name: "an add-on on a manual user, from a role template",
        manifest: manifest({ roles: [{ name: "agents", addOns: ["agent"] }], users: [manual("ann@example.com", { roles: ["agents"] })] }),
        expect: [{ path: ["users", 0, "addOns"], message: /manual user cannot hold the agent add-on/, fix: /portal access only/ }],
      },
      {
        name: "UC client access on a manual user",
        manifest: manifest({ users: [manual("ann@example.com", { ucClient: { desktop: true } })] }),
        expect: [{ path: ["users", 0, "ucClient"], message: /manual user cannot have UC client access/, fix: /remove it, or declare the user by extension/ }],
      },
    ],
    passes: [
      { name: "a manual user with portal access only", manifest: manifest({ users: [manual("ann@example.com", { tier: "contactCenter", permissions: { manageUsers: true } })] }) },
      { name: "the same licences on a PBX user", manifest: manifest({ users: [pbx("201", { accessType: "professional", addOns: ["agent", "crm"], ucClient: { desktop: true, crm: true } })] }) },
    ],
  },

  "SRC-2": {
    breaks: [{
      name: "accessType none on a PBX user",
      manifest: manifest({ users: [pbx("201", { accessType: "none" })] }),
      expect: [{ path: ["users", 0, "accessType"], message: /Essential cannot be removed from a PBX user/, fix: /`accessType: essential`.*or leave it out/ }],
    }],
    passes: [
      { name: "accessType left out (Essential by default)", manifest: manifest({ users: [pbx("201")] }) },
      { name: "accessType essential", manifest: manifest({ users: [pbx("201", { accessType: "essential" })] }) },
    ],
  },

  "SRC-3": {
    breaks: [{
      name: "a PBX user whose extension is not in the directory",
      manifest: manifest({ users: [pbx("299")] }),
      tenant: knownTenant(),
      expect: [{ path: ["users", 0, "extension"], message: /extension 299 is not in the phone system's directory.*cannot be created/, fix: /create the extension in the phone system first.*manual user/ }],
    }],
    passes: [
      { name: "a PBX user whose extension is in the directory (adopted, not created)", manifest: manifest({ users: [pbx("201")] }), tenant: knownTenant() },
      { name: "a manual user needs no directory entry", manifest: manifest({ users: [manual("ann@example.com")] }), tenant: knownTenant() },
    ],
  },

  "SRC-4": {
    breaks: [
      {
        name: "an email that differs from the directory",
        manifest: manifest({ users: [pbx("201", { email: "other@example.com" })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "email"], message: /email other@example\.com differs from the directory's u201@example\.com.*read-only/, fix: /change it in the phone system.*`email: u201@example\.com`/ }],
      },
      {
        name: "a display name that differs from the directory",
        manifest: manifest({ users: [pbx("201", { displayName: "Ann" })] }),
        tenant: knownTenant(),
        expect: [{ path: ["users", 0, "displayName"], message: /display name "Ann" differs from the directory's "User 201".*read-only/, fix: /change it in the phone system, or leave `displayName` out/ }],
      },
    ],
    passes: [
      { name: "the directory's email in another case and its exact name", manifest: manifest({ users: [pbx("201", { email: "U201@Example.com", displayName: "User 201" })] }), tenant: knownTenant() },
      { name: "email and name left out", manifest: manifest({ users: [pbx("201")] }), tenant: knownTenant() },
      {
        name: "the directory's name typed decomposed (equal under NFC) and its email with spaces around it",
        manifest: manifest({ users: [pbx("201", { displayName: "Rene\u0301 Lee" })] }),
        tenant: knownTenant({ directory: [dir("201", { displayName: "Ren\u00e9 Lee", email: " u201@example.com" }), ...DIRECTORY.slice(1)] }),
      },
    ],
  },
});

// The website family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { website } from "./website";

describeRuleCases(website, {
  "WEB-1": {
    breaks: [
      {
        name: "a supervisor tier with Website Access denied",
        manifest: manifest({ users: [pbx("201", { tier: "reports", permissions: { websiteAccess: false } })] }),
        expect: [{
          path: ["users", 0, "permissions", "websiteAccess"],
          resource: "user ext 201",
          message: /supervisor tier "reports".*Website Access denied.*grants Website Access automatically/,
          fix: /remove `websiteAccess: false`.*`tier: none`/,
        }],
      },
      {
        name: "UC client access with Website Access denied",
        manifest: manifest({ users: [pbx("201", { ucClient: { desktop: true }, permissions: { websiteAccess: false } })] }),
        expect: [{
          path: ["users", 0, "permissions", "websiteAccess"],
          message: /UC client access.*Website Access denied.*automatically/,
          fix: /remove `websiteAccess: false`.*remove `ucClient`/,
        }],
      },
      {
        name: "the denial comes from a role template and the tier from the user",
        manifest: manifest({
          roles: [{ name: "locked", permissions: { websiteAccess: false } }],
          users: [pbx("201", { tier: "analytics", roles: ["locked"] })],
        }),
        expect: [{ path: ["users", 0, "permissions", "websiteAccess"], message: /supervisor tier "analytics"/, fix: /websiteAccess: false/ }],
      },
    ],
    passes: [
      { name: "tier none and UC none with Website Access denied", manifest: manifest({ users: [pbx("201", { tier: "none", permissions: { websiteAccess: false } })] }) },
      { name: "a tier with Website Access left to the platform", manifest: manifest({ users: [pbx("201", { tier: "reports" })] }) },
    ],
  },

  "WEB-2": {
    breaks: [
      {
        name: "Manage Users without Website Access",
        manifest: manifest({ users: [manual("ann@example.com", { permissions: { manageUsers: true } })] }),
        expect: [{
          path: ["users", 0, "permissions", "manageUsers"],
          resource: "user ann@example.com",
          message: /Manage Users needs Website Access.*does not have/,
          fix: /add `websiteAccess: true`.*or remove the permission/,
        }],
      },
      {
        name: "every permission is reported, Recording Playback included",
        manifest: manifest({ users: [pbx("201", { permissions: { silentMonitor: true, recordingPlayback: "own" } })] }),
        expect: [
          { path: ["users", 0, "permissions", "silentMonitor"], message: /Silent Monitor needs Website Access/, fix: /websiteAccess: true/ },
          { path: ["users", 0, "permissions", "recordingPlayback"], message: /Recording Playback needs Website Access/, fix: /websiteAccess: true/ },
        ],
      },
    ],
    passes: [
      { name: "the permission with Website Access granted explicitly", manifest: manifest({ users: [manual("ann@example.com", { permissions: { websiteAccess: true, manageUsers: true } })] }) },
      { name: "the permission with Website Access granted by the tier", manifest: manifest({ users: [manual("ann@example.com", { tier: "reports", permissions: { manageUsers: true } })] }) },
      { name: "the permission with Website Access granted by UC client access", manifest: manifest({ users: [pbx("201", { ucClient: { desktop: true }, permissions: { manageContactDirectories: true } })] }) },
      { name: "permissions declared false need nothing", manifest: manifest({ users: [manual("ann@example.com", { permissions: { manageUsers: false, recordingPlayback: false } })] }) },
    ],
  },
});

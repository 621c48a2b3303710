// The email family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { dir, knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { email } from "./email";

const WEBSITE = { websiteAccess: true } as const;

describeRuleCases(email, {
  "MAIL-1": {
    // Seed 004: "any user with web portal access must have a unique email … users with duplicate
    // emails cannot be enabled for portal access": one portal user sharing an email is enough.
    breaks: [
      {
        name: "two PBX users with portal access whose emails differ only in case",
        manifest: manifest({
          users: [
            pbx("201", { email: "ann@example.com", tier: "reports" }),
            pbx("202", { email: "ANN@Example.com", permissions: { websiteAccess: true } }),
          ],
        }),
        expect: [
          { path: ["users", 0, "email"], resource: "user ext 201 (ann@example.com)", message: /email ann@example\.com is also used by user ext 202.*portal access.*case-insensitive/, fix: /their own email/ },
          { path: ["users", 1, "email"], resource: "user ext 202 (ANN@Example.com)", message: /email ann@example\.com is also used by user ext 201/, fix: /own email/ },
        ],
      },
      {
        name: "a user with portal access and one without sharing an email",
        manifest: manifest({ users: [pbx("201", { email: "ann@example.com", tier: "reports" }), pbx("202", { email: "ANN@Example.com" })] }),
        expect: [
          { path: ["users", 0, "email"], message: /also used by user ext 202/, fix: /own email/ },
          { path: ["users", 1, "email"], message: /also used by user ext 201/, fix: /own email/ },
        ],
      },
      {
        name: "a declared user and a live user outside the manifest",
        manifest: manifest({ users: [manual("Ann@Example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant({ users: [pbx("201", { tier: "reports" })], directory: [dir("201", { email: "ann@example.com" })] }),
        expect: [{ path: ["users", 0, "email"], message: /also used by live user ext 201 ann@example\.com \(not in the manifest\)/, fix: /own email/ }],
      },
      {
        name: "a live user whose directory email has spaces around it (emails compare trimmed)",
        manifest: manifest({ users: [manual("Ann@Example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant({ users: [pbx("201", { tier: "reports" })], directory: [dir("201", { email: " ann@example.com " })] }),
        expect: [{ path: ["users", 0, "email"], message: /email ann@example\.com is also used by live user ext 201/, fix: /own email/ }],
      },
      {
        name: "a PBX user whose email comes from the directory and a manual user",
        manifest: manifest({ users: [pbx("201", { tier: "reports" }), manual("U201@example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant(),
        expect: [
          { path: ["users", 0, "email"], message: /also used by user U201@example\.com/, fix: /own email/ },
          { path: ["users", 1, "email"], message: /also used by user ext 201/, fix: /own email/ },
        ],
      },
    ],
    passes: [
      {
        name: "the same email (in another case) when neither user has portal access",
        manifest: manifest({ users: [pbx("201", { email: "ann@example.com" }), pbx("202", { email: "ANN@Example.com", permissions: { websiteAccess: false } })] }),
      },
      {
        name: "a live user and a declared user sharing an email, neither with portal access",
        manifest: manifest({ users: [manual("ann@example.com")] }),
        tenant: knownTenant({ users: [pbx("201")], directory: [dir("201", { email: "ann@example.com" })] }),
      },
      {
        name: "the declared user is the live user (same key) with another case of the email",
        manifest: manifest({ users: [manual("Ann@Example.com", { permissions: WEBSITE })] }),
        tenant: knownTenant({ users: [manual("ann@example.com", { permissions: WEBSITE })] }),
      },
      {
        name: "emails that differ by more than case",
        manifest: manifest({ users: [pbx("201", { email: "ann@example.com", tier: "reports" }), pbx("202", { email: "ann.lee@example.com", tier: "reports" })] }),
      },
    ],
  },
});

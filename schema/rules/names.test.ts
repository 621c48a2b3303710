// The names family's case table: for each of its rules, manifests that break it (with the path,
// message and fix the user sees) and manifests at the boundary that pass (../../test/support/rule-cases.ts).
import { knownTenant, manifest, manual, pbx } from "../../test/support/builders";
import { describeRuleCases } from "../../test/support/rule-cases";
import { names } from "./names";

describeRuleCases(names, {
  "NAME-1": {
    breaks: [
      {
        name: "two groups whose names differ only in case",
        manifest: manifest({ groups: [{ name: "Sales" }, { name: "sales" }] }),
        expect: [{ path: ["groups", 1, "name"], resource: "group sales", message: /group "sales" is declared twice \(first at groups\[0\]\)/, fix: /merge the two declarations or rename one/ }],
      },
      {
        name: "two users with one extension",
        manifest: manifest({ users: [pbx("201"), pbx("201", { tier: "reports" })] }),
        expect: [{ path: ["users", 1, "extension"], message: /user ext 201 is declared twice \(first at users\.0\)/, fix: /merge the two declarations/ }],
      },
      {
        name: "two manual users whose emails differ only in case are one user",
        manifest: manifest({ users: [manual("ann@example.com"), manual("ANN@example.com")] }),
        expect: [{ path: ["users", 1, "email"], message: /user ANN@example\.com is declared twice/, fix: /merge/ }],
      },
      {
        name: "two grants of one user to one workspace",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "ann@example.com" }, { user: "Ann@example.com", access: "admin" }] }], users: [manual("ann@example.com", { tier: "analytics" })] }),
        expect: [{ path: ["workspaces", 0, "members", 1, "user"], message: /Ann@example\.com is granted access to workspace "Ops" twice/, fix: /keep one grant/ }],
      },
      {
        name: "two groups whose names are equal under Unicode NFC (precomposed and decomposed é)",
        manifest: manifest({ groups: [{ name: "Caf\u00e9" }, { name: "Cafe\u0301" }] }),
        expect: [{ path: ["groups", 1, "name"], resource: "group Cafe\u0301", message: /group "Cafe\u0301" is declared twice \(first at groups\[0\]\)/, fix: /merge the two declarations or rename one/ }],
      },
      {
        name: "two workspaces whose names are equal under NFC, in another case",
        manifest: manifest({ workspaces: [{ name: "\u00c9quipe" }, { name: "e\u0301quipe" }] }),
        expect: [{ path: ["workspaces", 1, "name"], message: /workspace "e\u0301quipe" is declared twice/, fix: /merge/ }],
      },
      {
        name: "one declared user granted one workspace by extension and by email",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "201" }, { user: "Ann@Example.com", access: "admin" }] }], users: [pbx("201", { email: "ann@example.com", tier: "analytics" })] }),
        expect: [{ path: ["workspaces", 0, "members", 1, "user"], resource: "grant Ann@Example.com → workspace Ops", message: /Ann@Example\.com is granted access to workspace "Ops" twice: it is the same user as 201 \(granted at workspaces\.0\.members\.0\)/, fix: /keep one grant .*referencing the user once \(by 201 or by Ann@Example\.com\)/ }],
      },
      {
        name: "a PBX user granted by extension and by the email the directory gives it",
        manifest: manifest({ workspaces: [{ name: "Ops", members: [{ user: "u201@example.com" }, { user: "201" }] }] }),
        tenant: knownTenant(),
        expect: [{ path: ["workspaces", 0, "members", 1, "user"], message: /201 is granted access to workspace "Ops" twice: it is the same user as u201@example\.com/, fix: /referencing the user once/ }],
      },
    ],
    passes: [{
      name: "distinct names, extensions and grants",
      manifest: manifest({
        groups: [{ name: "Sales" }, { name: "Sales East" }],
        roles: [{ name: "lead" }, { name: "leads" }],
        workspaces: [{ name: "Ops", members: [{ user: "ann@example.com" }] }, { name: "Ops 2", members: [{ user: "ann@example.com" }] }],
        users: [pbx("201"), pbx("2010"), manual("ann@example.com", { tier: "analytics" })],
      }),
    }],
  },
});

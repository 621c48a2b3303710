// The malformed-manifest corpus: each file gives exactly the expected problems, at the right
// line:column, whichever YAML reader reads it (js-yaml for values, or `yaml` alone).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest, readYaml } from "../../manifest";

type Expect = [line: number, column: number, rule: string, path: string, message: RegExp];

const CORPUS: Record<string, Expect[]> = {
  "01-unknown-top-key.yaml": [[3, 1, "UNKNOWN-KEY", "user", /unknown key "user"; did you mean "users"\?/]],
  "02-misspelt-permission.yaml": [[6, 7, "UNKNOWN-KEY", "users[0].permissions.websiteAcess", /unknown key "websiteAcess"; did you mean "websiteAccess"\?/]],
  "03-unknown-user-key.yaml": [[5, 5, "UNKNOWN-KEY", "users[0].favouriteColour", /^unknown key "favouriteColour"$/]],
  "04-wrong-type-boolean.yaml": [[6, 22, "SCHEMA", "users[0].permissions.websiteAccess", /expected true or false, got the string "yes"/]],
  "05-extension-number.yaml": [[4, 16, "SCHEMA", "users[0].extension", /expected a string, got the number 201/]],
  "06-bad-enum-tier.yaml": [[5, 11, "SCHEMA", "users[0].tier", /"Analytics" is not allowed here.*did you mean "analytics"\?/]],
  "07-bad-profile.yaml": [[2, 10, "SCHEMA", "profile", /did you mean "dimensions"\?/]],
  "08-missing-profile.yaml": [[2, 1, "SCHEMA", "profile", /missing required field "profile"/]],
  "09-missing-group-name.yaml": [[5, 5, "SCHEMA", "groups[1].name", /missing required field "name"/]],
  "10-manual-user-no-email.yaml": [[4, 5, "SCHEMA", "users[0].email", /a manual user needs an email/]],
  "11-bad-email.yaml": [[4, 12, "SCHEMA", "users[0].email", /must be an email address/]],
  "12-duplicate-emails-case.yaml": [[7, 5, "NAME-1", "users[1].email", /user ann@example.com is declared twice/]],
  "13-yaml-bad-indent.yaml": [
    [4, 12, "YAML", "", /Nested mappings are not allowed in compact mappings/],
    [4, 12, "YAML", "", /Implicit keys need to be on a single line/],
  ],
  "14-yaml-duplicate-key.yaml": [[5, 5, "YAML", "", /Map keys must be unique/]],
  "15-yaml-unclosed-flow.yaml": [[6, 1, "YAML", "", /end with a \]/]],
  "16-yaml-tab-indent.yaml": [[4, 1, "YAML", "", /Tabs are not allowed as indentation/]],
  "17-web2-permission-without-website.yaml": [[6, 7, "WEB-2", "users[0].permissions.manageUsers", /permission Manage Users needs Website Access/]],
  "18-web1-tier-with-website-denied.yaml": [[7, 7, "WEB-1", "users[0].permissions.websiteAccess", /supervisor tier "analytics" is declared with Website Access denied/]],
  "19-src1-manual-professional.yaml": [[5, 5, "SRC-1", "users[0].accessType", /a manual user cannot hold the professional/]],
  "20-src2-pbx-no-essential.yaml": [[5, 5, "SRC-2", "users[0].accessType", /Essential cannot be removed from a PBX user/]],
  "21-uc1-softphone-essential.yaml": [[6, 7, "UC-1", "users[0].ucClient.softphone", /a softphone needs the Professional licence/]],
  "22-uc3-crm-without-addon.yaml": [[7, 7, "UC-3", "users[0].ucClient.crm", /CRM client access needs the CRM add-on/]],
  "23-grp1-primary-not-member.yaml": [[9, 5, "GRP-1", "users[0].primaryGroup", /primary group "support" is not one of the user's groups/]],
  "24-ws2-grant-below-analytics.yaml": [[6, 9, "WS-2", "workspaces[0].members[0].user", /has tier "reports"/]],
  "25-role1-undeclared-role.yaml": [[8, 13, "ROLE-1", "users[0].roles[0]", /role "team-leed" is not declared/]],
  "26-name1-duplicate-group.yaml": [[5, 5, "NAME-1", "groups[1].name", /group "Sales" is declared twice/]],
  "27-prof1-tier-on-8x8.yaml": [[5, 5, "PROF-1", "users[0].tier", /the 8x8 profile has no "tier"/]],
  "28-role2-preset-role.yaml": [[4, 5, "ROLE-2", "roles[0].name", /"Super Admin" is a preset role/]],
  "29-bad-addon-enum.yaml": [[5, 14, "SCHEMA", "users[0].addOns[0]", /"agnet" is not allowed.*did you mean "agent"\?/]],
  "30-recording-playback-value.yaml": [[7, 26, "SCHEMA", "users[0].permissions.recordingPlayback", /must be one of false, "own", "all"/]],
  "31-groups-not-a-list.yaml": [[5, 13, "SCHEMA", "users[0].groups", /expected a list, got the string "sales"/]],
  "32-many-problems.yaml": [
    [4, 11, "SCHEMA", "groups[0].name", /must not be empty/],
    [9, 7, "UNKNOWN-KEY", "users[0].permissions.manageUser", /did you mean "manageUsers"\?/],
    [10, 11, "SCHEMA", "users[0].tier", /did you mean "analytics"\?/],
    [11, 16, "SCHEMA", "users[1].extension", /a manual user has no extension/],
    [15, 7, "UNKNOWN-KEY", "users[2].ucClient.desktp", /did you mean "desktop"\?/],
  ],
  "33-version-wrong.yaml": [[2, 10, "SCHEMA", "version", /must be 1/]],
  "34-empty-file.yaml": [[1, 1, "SCHEMA", "", /the file is empty/]],
  "35-flow-style-json.yaml": [[2, 82, "WEB-2", "users[0].permissions.silentMonitor", /permission Silent Monitor needs Website Access/]],
  "36-anchors-alias.yaml": [
    [8, 7, "WEB-2", "users[0].permissions.webhooksAdministrator", /Webhooks Administrator needs Website Access/],
    [10, 18, "WEB-2", "users[1].permissions.webhooksAdministrator", /Webhooks Administrator needs Website Access/],
  ],
  "37-softphone-unknown-client.yaml": [[9, 17, "SCHEMA", "users[0].ucClient.softphone.client", /did you mean "desktop"\?/]],
  "38-quoted-keys-and-comments.yaml": [[7, 5, "UNKNOWN-KEY", "users[0].groupz", /did you mean "groups"\?/]],
  "39-mail1-duplicate-email-pbx-and-manual.yaml": [
    [5, 5, "MAIL-1", "users[0].email", /email ann@example.com is also used by user ann@example.com/],
    [7, 5, "MAIL-1", "users[1].email", /email ann@example.com is also used by user ext 201/],
  ],
};

const DIR = join(__dirname, "corpus");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

describe("malformed manifest corpus", () => {
  it("has at least 30 files, every one with an expectation", () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(CORPUS).sort()).toEqual(files);
  });

  for (const file of files) {
    for (const reader of ["auto", "yaml"] as const) {
      it(`${file} (${reader})`, () => {
        const text = readFileSync(join(DIR, file), "utf8");
        const { problems, manifest } = parseManifest(text, file, { reader });
        const got = problems.map((p) => [p.line, p.column, p.rule, p.path, p.message]);
        const want = CORPUS[file];
        expect(got.map((g) => g.slice(0, 4))).toEqual(want.map((w) => w.slice(0, 4)));
        want.forEach((w, i) => expect(problems[i].message).toMatch(w[4]));
        for (const p of problems) expect(p.file).toBe(file);
        // Rule violations keep the manifest (its shape is valid); shape and syntax problems do not.
        expect(manifest !== undefined).toBe(problems.every((p) => /^[A-Z0-9]+-\d+$/.test(p.rule)));
      });
    }
  }

  it("reads values with js-yaml and leaves what it refuses to yaml, which places the error", () => {
    const reader = (f: string) => readYaml(readFileSync(join(DIR, f), "utf8"), f).reader;
    for (const f of ["32-many-problems.yaml", "35-flow-style-json.yaml", "36-anchors-alias.yaml", "38-quoted-keys-and-comments.yaml"]) expect(reader(f)).toBe("js-yaml");
    for (const f of ["13-yaml-bad-indent.yaml", "14-yaml-duplicate-key.yaml", "16-yaml-tab-indent.yaml"]) expect(reader(f)).toBe("yaml");
  });
});

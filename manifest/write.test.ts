// renderManifest: deterministic YAML that parses back to the same manifest.
import { describe, expect, it } from "vitest";
import { Manifest, type ManifestInput } from "../schema";
import { parseManifest } from "./parse";
import { renderManifest, yamlString } from "./write";

const roundTrip = (m: ManifestInput) => {
  const text = renderManifest(m);
  const r = parseManifest(text, "x.yaml", { rules: false });
  expect(r.problems, text).toEqual([]);
  expect(r.manifest).toEqual(Manifest.parse(m));
  return text;
};

describe("renderManifest", () => {
  it("writes keys in the schema's order, whatever the object's order", () => {
    const a = renderManifest({ users: [{ groups: ["B", "A"], primaryGroup: "B", tier: "reports", extension: "201" }], profile: "dimensions", version: 1 });
    const b = renderManifest({ version: 1, profile: "dimensions", users: [{ extension: "201", tier: "reports", groups: ["B", "A"], primaryGroup: "B" }] });
    expect(a).toBe(b);
    expect(a).toBe([
      "version: 1",
      "profile: dimensions",
      "",
      "users:",
      '  - extension: "201"',
      "    tier: reports",
      "    groups:",
      "      - B",
      "      - A",
      "    primaryGroup: B",
      "",
    ].join("\n"));
  });

  it("quotes only what would read back as something else; extensions always", () => {
    for (const s of ["true", "False", "yes", "no", "on", "off", "null", "~", "1", "1.5", "1e3", "0x1F", "12:30", "2024-01-01", "-1", ".5", " lead", "trail ", "a: b", "a #b", "#x", "- x", "[x]", "{x}", "*x", "&x", "!x", "'q'", '"q"', "", "é", "tab\tin", "line\nbreak"]) {
      expect(yamlString(s), s).toMatch(/^"/);
      expect(JSON.parse(yamlString(s))).toBe(s);
    }
    for (const s of ["Sales", "Sales Floor", "ada.adams@demo.example", "team-lead", "Runs a queue - live dashboards, agent control", "dev-201-desk"]) expect(yamlString(s)).toBe(s);
    expect(renderManifest({ profile: "dimensions", users: [{ extension: "A1" }] })).toContain('  - extension: "A1"\n');
  });

  it("leaves out empty collections and schema defaults but for version and member access", () => {
    const text = renderManifest({
      profile: "dimensions",
      groups: [],
      workspaces: [{ name: "W", members: [{ user: "a@x.example", access: "view" }] }],
      users: [{ extension: "201", accessType: "professional", permissions: {}, ucClient: { softphone: { device: "d", client: "desktop" } }, groups: [] }],
    });
    // An empty optional list or map means what its absence means: it reads back absent.
    expect(parseManifest(text, "x.yaml").manifest).toEqual(Manifest.parse({
      profile: "dimensions",
      workspaces: [{ name: "W", members: [{ user: "a@x.example", access: "view" }] }],
      users: [{ extension: "201", accessType: "professional", ucClient: { softphone: { device: "d", client: "desktop" } } }],
    }));
    expect(text).not.toMatch(/groups|permissions|client/);
    expect(text).toContain("version: 1\n");
    expect(text).toContain("        access: view\n");
  });

  it("round-trips every field and awkward strings", () => {
    roundTrip({
      profile: "dimensions",
      groups: [{ name: "true", description: "Team: leads # and managers" }, { name: "2024" }],
      roles: [{ name: "lead", description: "it's \"quoted\"\nand multi-line", tier: "liveAnalytics", permissions: { supervisorAgentControl: true, recordingPlayback: false }, addOns: ["agent"] }],
      workspaces: [{ name: "Ünïcode ✓", members: [{ user: "201", access: "admin" }] }],
      users: [
        { extension: "0201", roles: ["lead"], accessType: "professional", addOns: ["crm"], ucClient: { desktop: true, crm: true, softphone: { device: "dev-1", client: "crm" } }, groups: ["true"], primaryGroup: "true", permissions: { websiteAccess: false, recordingPlayback: "all" } },
        { email: "a@x.example", displayName: "No", tier: "reports", insights: true },
      ],
    });
  });

  it("writes the header comment lines it is given, and nothing else above version", () => {
    const text = renderManifest({ profile: "ooma" }, { schema: "./schema/manifest.schema.json", comment: ["one", ""] });
    expect(text).toBe("# yaml-language-server: $schema=./schema/manifest.schema.json\n# one\n#\nversion: 1\nprofile: ooma\n");
  });
});

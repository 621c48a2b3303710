// The review's Roles section (Office@Hand named roles): what each role's membership adds, removes and
// leaves alone, against live holders (tenant facts users' `roles`), with and without the previous manifest.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { command } from "../../cli/review";
import { renderMarkdown, reviewPlan, roleLine } from "../../review";
import { Manifest, type ManifestInput } from "../../schema";
import { knownTenant } from "../support/builders";

const facts = knownTenant({
  profile: "officeathand",
  roles: [{ name: "Floor" }, { name: "Super Admin", preset: true }],
  users: [
    { extension: "201", origin: "pbx", roles: ["Floor"] },
    { extension: "204", origin: "pbx", roles: ["Super Admin"] },
    { extension: "205", origin: "pbx", roles: ["Floor", "Super Admin"] },
  ],
});
const m = (roleMembership: "additive" | "authoritative" | undefined, users: ManifestInput["users"]) =>
  Manifest.parse({ profile: "officeathand", ...(roleMembership ? { roleMembership } : {}), roles: [{ name: "Floor", reportPermissions: ["performance"] }], users });
const before = m(undefined, [{ extension: "201", roles: ["Floor"] }, { extension: "202", roles: ["Floor", "Super Admin"] }]);
const after = m(undefined, [{ extension: "201" }, { extension: "202", roles: ["Floor", "Super Admin"] }, { extension: "203", roles: ["Floor"] }]);

describe("review: role membership", () => {
  it("additive, previous manifest known: adds, removes only the dropped entry, leaves the portal's holders alone", () => {
    const r = reviewPlan(after, facts, { previous: before });
    expect(r.roles?.map(roleLine)).toEqual([
      "Floor (additive): adds ext 202, ext 203; removes ext 201; leaves 1 other holder alone",
      "Super Admin (additive, holders only): adds ext 202; leaves 2 other holders alone",
    ]);
    expect(r.users.find((u) => u.key === "ext:201")?.roles).toEqual({ added: [], removed: ["Floor"] });
    const md = renderMarkdown(r);
    expect(md).toContain("#### Roles\n\n- Floor (additive): adds ext 202, ext 203; removes ext 201; leaves 1 other holder alone\n");
    expect(md).toContain("a role's holders are the exception");
  });

  it("additive without the previous manifest: claims no removal it cannot know, and does not claim the others stay", () => {
    const r = reviewPlan(after, facts);
    expect(r.roles?.map(roleLine)[0]).toBe("Floor (additive): adds ext 202, ext 203; 2 other holders not in the manifest: left alone, except any this stack listed before (the review cannot see the stack's state; `pulumi preview` names them)");
    expect(r.users.find((u) => u.key === "ext:201")).toBeUndefined(); // not listed as losing Floor: only the preview knows
  });

  it("authoritative: every holder the manifest does not list is removed, undeclared ones too, and the note says so", () => {
    const r = reviewPlan(m("authoritative", after.users), facts, { previous: before });
    expect(r.roles?.map(roleLine)).toEqual([
      "Floor (authoritative): adds ext 202, ext 203; removes ext 201, ext 205",
      "Super Admin (additive, holders only): adds ext 202; leaves 2 other holders alone",
    ]);
    // Authoritative removals need no previous manifest.
    expect(reviewPlan(m("authoritative", after.users), facts).roles?.[0]).toMatchObject({ removed: ["ext:201", "ext:205"], leftAlone: 0, removalsKnown: true });
    expect(r.notes.join("\n")).toMatch(/not in the manifest: the provider leaves them alone \(except the role holders listed as removed under Roles\)/);
  });

  it("a role's own membership wins over the manifest's", () => {
    const own = Manifest.parse({ ...after, roleMembership: "authoritative", roles: [{ name: "Floor", reportPermissions: ["performance"], membership: "additive" }] });
    expect(reviewPlan(own, facts, { previous: before }).roles?.[0]).toMatchObject({ name: "Floor", membership: "additive", removed: ["ext:201"], leftAlone: 1 });
  });

  it("a role the previous manifest named and this one does not: a preset loses only the holders the stack listed", () => {
    const r = reviewPlan(m(undefined, [{ extension: "201", roles: ["Floor"] }, { extension: "202", roles: ["Floor"] }]), facts, { previous: m(undefined, [{ extension: "205", roles: ["Super Admin"] }]) });
    expect(r.roles?.find((x) => x.name === "Super Admin")).toMatchObject({ holdersOnly: true, added: [], removed: ["ext:205"], leftAlone: 1 });
    expect(roleLine(r.roles!.find((x) => x.name === "Super Admin")!)).toBe("Super Admin (additive, holders only): removes ext 205; leaves 1 other holder alone");
  });
});

describe("review --previous: the command names what an additive role loses", () => {
  it("with the previous manifest, names the dropped holder; without it, says it cannot know", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aa-review-previous-"));
    try {
      const file = (name: string, v: unknown) => { const f = join(dir, name); writeFileSync(f, JSON.stringify(v, null, 2)); return f; };
      const tenant = file("facts.json", facts);
      const args = [file("after.yaml", after), "--tenant", tenant];
      const run = async (argv: string[]) => { let out = ""; let err = ""; const code = await command.run(argv, { out: (s: string) => (out += s), err: (s: string) => (err += s) }); return { code, out, err }; };
      const withPrevious = await run([...args, "--previous", file("before.yaml", before)]);
      expect(withPrevious.code, withPrevious.err).toBe(0);
      expect(withPrevious.out).toContain("- Floor (additive): adds ext 202, ext 203; removes ext 201; leaves 1 other holder alone\n");
      const without = await run(args);
      expect(without.out).toContain("left alone, except any this stack listed before");
      const broken = await run([...args, "--previous", file("broken.yaml", { profile: "officeathand", userz: [] })]);
      expect(broken.code).toBe(1);
      expect(broken.err).toMatch(/the previous manifest \(--previous .*broken\.yaml\) cannot be read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

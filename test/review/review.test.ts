// `analytics-access review`: golden Markdown and JSON for a change that adds, removes and swaps
// licences and breaks two rules; the live path against a real platform; exit codes.
// UPDATE_GOLDEN=1 npx vitest run test/review rewrites the golden files.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { command } from "../../cli/review";
import { loadManifest, loadTenantFacts } from "../../manifest";
import { renderMarkdown, reviewPlan } from "../../review";
import { startTestTenant } from "../support/tenant";

const FIX = join(__dirname, "fixtures");
const GOLDEN = join(__dirname, "golden");
const MANIFEST = join(FIX, "manifest.yaml");
const TENANT = join(FIX, "tenant.yaml");

async function run(argv: string[], progressStream?: { isTTY: boolean; write(s: string): unknown }) {
  let out = "";
  let err = "";
  const code = await command.run(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } }, progressStream ? { progress: { stream: progressStream, intervalMs: 0 } } : {});
  return { code, out, err };
}

function golden(name: string, actual: string) {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 to write it`).toBe(true);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

const tmp = () => mkdtempSync(join(tmpdir(), "aa-review-"));
const fixtures = () => ({ manifest: loadManifest(MANIFEST, { rules: false }).manifest!, facts: loadTenantFacts(TENANT).facts! });

describe("review: golden output", () => {
  it("Markdown: licences added, removed and swapped, two rules broken; exit 1", async () => {
    const r = await run([MANIFEST, "--tenant", TENANT]);
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    golden("review.md", r.out);
  });

  it("JSON: the same review for machines; exit 1", async () => {
    const r = await run([MANIFEST, "--tenant", TENANT, "--json"]);
    expect(r.code).toBe(1);
    golden("review.json", r.out);
    expect(JSON.parse(r.out).summary).toMatchObject({ usersChanging: 5, errors: 2 });
  });

  it("is deterministic: the same review whatever the order of the manifest and the tenant", () => {
    const { manifest, facts } = fixtures();
    const shuffled = {
      manifest: { ...manifest, users: [...manifest.users].reverse(), workspaces: manifest.workspaces.map((w) => ({ ...w, members: [...(w.members ?? [])].reverse() })) },
      facts: { ...facts, users: [...(facts.users ?? [])].reverse(), grants: [...(facts.grants ?? [])].reverse(), licences: Object.fromEntries(Object.entries(facts.licences).reverse()) },
    };
    const a = reviewPlan(manifest, facts), b = reviewPlan(shuffled.manifest, shuffled.facts);
    // Violations name manifest paths, which move with the users; everything else is identical.
    expect({ ...b, violations: [] }).toEqual({ ...a, violations: [] });
    expect(b.violations.map((v) => v.rule).sort()).toEqual(a.violations.map((v) => v.rule).sort());
  });

  it("says what the plan means: the swap at full capacity passes, the extra CRM add-on does not", () => {
    const { manifest, facts } = fixtures();
    const r = reviewPlan(manifest, facts);
    const lic = Object.fromEntries(r.licences.map((l) => [l.key, l]));
    expect(lic.analytics).toMatchObject({ capacity: 2, before: 2, after: 2, delta: 0, overCapacity: false, gainedBy: ["ext:204"], lostBy: ["ext:203"] });
    expect(lic.liveAnalytics).toMatchObject({ before: 1, after: 2, delta: 1, gainedBy: ["ext:201"] });
    expect(lic.professional).toMatchObject({ before: 3, after: 2, delta: -1, lostBy: ["ext:202"] });
    expect(lic.crm).toMatchObject({ before: 1, after: 2, overCapacity: true });
    expect(r.violations.map((v) => `${v.rule} ${v.path}`)).toEqual(["LIC-1 users[2].addOns", "WEB-2 users[6].permissions.manageContactDirectories"]);
    expect(r.users.map((u) => `${u.key} ${u.status}`)).toEqual(["ext:201 changed", "ext:202 changed", "ext:203 changed", "ext:204 adopted", "email:ops.viewer@partner.example added"]);
    // Live users outside the manifest (ext 205, ext 1001, the admin) are unmanaged, never "removed".
    expect(r.summary).toMatchObject({ unmanaged: 3, unchanged: 2 });
    expect(r.users.some((u) => u.key === "ext:205")).toBe(false);
  });

  it("orders extensions numerically and manual users by email", () => {
    const { facts } = fixtures();
    const manifest = loadManifest(MANIFEST, { rules: false }).manifest!;
    manifest.users.push({ extension: "1001", tier: "reports" }, { email: "a.first@partner.example", tier: "reports" });
    const keys = reviewPlan(manifest, facts).users.map((u) => u.key);
    expect(keys).toEqual(["ext:201", "ext:202", "ext:203", "ext:204", "ext:1001", "email:a.first@partner.example", "email:ops.viewer@partner.example"]);
  });

  it("notes 8x8's 48-hour data delay for newly enabled users", () => {
    const r = reviewPlan(
      { version: 1, profile: "8x8", groups: [], workspaces: [], roles: [], users: [{ extension: "301", analyticsTier: "supervisor" }] },
      { ...fixtures().facts, profile: "8x8", licences: {}, users: [{ origin: "pbx", extension: "301", email: "x@demo.example", displayName: "X" }], grants: [] },
    );
    expect(r.users[0]).toMatchObject({ status: "adopted", analyticsTier: { before: "none", after: "supervisor" } });
    expect(r.notes.join("\n")).toMatch(/8x8: data for newly enabled users takes about 48 hours to appear.*\(ext 301\)/);
  });

  it("collapses long user lists in <details>", () => {
    const { manifest, facts } = fixtures();
    const many = { ...manifest, users: Array.from({ length: 12 }, (_, i) => ({ email: `p${String(i).padStart(2, "0")}@partner.example`, tier: "reports" as const })) };
    expect(renderMarkdown(reviewPlan(many, facts))).toContain("<details><summary>12 users change</summary>");
  });
});

describe("review: exit codes and options", () => {
  it("exits 0 when the plan breaks no rule, and says nothing changes", async () => {
    const dir = tmp();
    const file = join(dir, "same.yaml");
    writeFileSync(file, 'profile: dimensions\ngroups: [{ name: Support }]\nusers:\n  - extension: "206"\n    groups: [Support]\n    primaryGroup: Support\n  - { email: auditor@partner.example, displayName: External Auditor, tier: reports }\n');
    const r = await run([file, "--tenant", TENANT]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^### Access review: 0 users change, 0 licences change, 0 violations\n/);
    expect(r.out).toContain("0 added · 0 adopted · 0 changed · 2 unchanged · 7 not managed");
  });

  it("writes the review to --out and a one-line summary to stderr", async () => {
    const out = join(tmp(), "review.md");
    const r = await run([MANIFEST, "--tenant", TENANT, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`5 users change, 3 licences change, 2 violations: written to ${out}\n`);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(join(GOLDEN, "review.md"), "utf8"));
  });

  it("applies an overlay before reviewing", async () => {
    const dir = tmp();
    const overlay = join(dir, "prod.yaml");
    // Production: ext 203 keeps away from CRM, the viewer is not there: no violation left.
    writeFileSync(overlay, 'users:\n  - { extension: "203", accessType: professional, tier: reports, groups: [Sales], primaryGroup: Sales }\nremove:\n  users: [ops.viewer@partner.example]\n');
    const r = await run([MANIFEST, "--tenant", TENANT, "--overlay", overlay, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).summary).toMatchObject({ usersChanging: 4, errors: 0, licencesOverCapacity: 0 });
  });

  it("exits 1 with the problems when the manifest cannot be read", async () => {
    const file = join(tmp(), "bad.yaml");
    writeFileSync(file, "profile: dimensions\nusers:\n  - extension: \"201\"\n    tier: superuser\n");
    const r = await run([file, "--tenant", TENANT]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/bad\.yaml:4:11 error SCHEMA users\[0\]\.tier: /);
  });

  it("exits 2 on usage and I/O errors", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["--bogus", MANIFEST])).code).toBe(2);
    expect((await run([MANIFEST, "--tenant", TENANT, "--endpoint", "http://x"])).code).toBe(2);
    const missing = await run([join(FIX, "nope.yaml"), "--tenant", TENANT]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringMatching(/nope\.yaml: no such file/) });
    expect((await run([MANIFEST, "--tenant", join(FIX, "nope.yaml")])).code).toBe(2);
    expect((await run([MANIFEST, "--tenant", TENANT, "--overlay", join(FIX, "nope.yaml")])).err).toMatch(/nope\.yaml: no such file/);
    const wrongProfile = join(tmp(), "ooma.yaml");
    writeFileSync(wrongProfile, "profile: ooma\n");
    expect(await run([wrongProfile, "--tenant", TENANT])).toMatchObject({ code: 2, err: expect.stringMatching(/dimensions tenant, but the manifest declares profile ooma/) });
    expect((await run([MANIFEST, "--endpoint", "http://x", "--token-env", "AA_REVIEW_UNSET_VAR"])).err).toMatch(/no API token: set the AA_REVIEW_UNSET_VAR environment variable/);
    process.env.AA_REVIEW_TOKEN = "t";
    const down = await run([MANIFEST, "--endpoint", "http://127.0.0.1:1", "--token-env", "AA_REVIEW_TOKEN"]);
    expect(down).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read the tenant at http:\/\/127\.0\.0\.1:1/) });
  });
});

describe("review --endpoint: against a live platform", () => {
  it("reads the tenant the token belongs to, shows a progress line on a TTY, and gates on violations", async () => {
    const t = await startTestTenant({ users: 4, licences: { professional: 2, analytics: 1, liveAnalytics: 1 } });
    try {
      process.env.AA_REVIEW_LIVE_TOKEN = t.adminToken;
      const dir = tmp();
      const ok = join(dir, "ok.yaml");
      writeFileSync(ok, 'profile: dimensions\nusers:\n  - { extension: "201", accessType: professional, tier: analytics }\n  - { extension: "202", tier: liveAnalytics }\n');
      let tty = "";
      const r = await run([ok, "--endpoint", t.platform.url, "--token-env", "AA_REVIEW_LIVE_TOKEN", "--json"], { isTTY: true, write: (s) => { tty += s; } });
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const review = JSON.parse(r.out);
      expect(review.users.map((u: { key: string; status: string }) => `${u.key} ${u.status}`)).toEqual(["ext:201 adopted", "ext:202 adopted"]);
      expect(review.licences).toEqual([
        { key: "professional", capacity: 2, before: 0, after: 1, delta: 1, overCapacity: false, gainedBy: ["ext:201"], lostBy: [] },
        { key: "analytics", capacity: 1, before: 0, after: 1, delta: 1, overCapacity: false, gainedBy: ["ext:201"], lostBy: [] },
        { key: "liveAnalytics", capacity: 1, before: 0, after: 1, delta: 1, overCapacity: false, gainedBy: ["ext:202"], lostBy: [] },
      ]);
      // 4 PBX users and the two portal users of the test tenant; the manifest declares two.
      expect(review.summary).toMatchObject({ unmanaged: 4, errors: 0 });
      expect(tty).toContain("reading tenant… users 6");
      expect(tty.endsWith("\r\x1b[K")).toBe(true);

      const over = join(dir, "over.yaml");
      writeFileSync(over, 'profile: dimensions\nusers:\n  - { extension: "201", tier: analytics }\n  - { extension: "202", tier: analytics }\n');
      const bad = await run([over, "--endpoint", t.platform.url, "--token-env", "AA_REVIEW_LIVE_TOKEN"]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain("| analytics | 1 | 0 | **2 (+2)** ⚠ over capacity | + ext 201, + ext 202 |");
      expect(bad.out).toMatch(/- \*\*LIC-1\*\* user ext 202 · `users\[1\]\.tier` — licence analytics: 2 users would hold it/);

      const refused = await run([ok, "--endpoint", t.platform.url, "--token-env", "AA_REVIEW_TOKEN"]);
      expect(refused).toMatchObject({ code: 2, err: expect.stringMatching(/refused the token \(401\)/) });
    } finally {
      await t.close();
    }
  });
});

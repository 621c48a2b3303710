// export: tenant A (the demo tenant after the example stack) → manifest → applied to an empty
// tenant B with the same PBX directory by `pulumi up` of the example stack (through the engine
// model: the SDK's real cmd/run and dynamic-provider host) → export B equals export A, byte for byte.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, DEMO_LICENCES, demoDirectory, type RunningPlatform, startPlatform } from "../../platform";
import { exportManifest } from "../../provider/export";
import { Session } from "../../provider/session";
import { Manifest } from "../../schema";
import { parseManifest } from "../../manifest";
import { renderManifest } from "../../manifest/write";
import { REPO_ROOT, Stack, type RunResult } from "../support/engine";
import { expectNowhere } from "../support/runs";

const OPTS = { schema: "./schema/manifest.schema.json", comment: ["Exported by `analytics-access export`: review before applying."] };

let p: RunningPlatform;
let tokenB: string;
let textA: string;
const session = (token: string) => new Session({ endpoint: p.url, token, licenceWaitMs: 0 });
const exportText = async (token: string, all = false) => renderManifest(await exportManifest(session(token), { all }), OPTS);
/** `pulumi up` of the repository's root project (the example manifest program), dev stack, on `endpoint`. */
async function upExample(endpoint: string, token: string, manifest?: string): Promise<RunResult> {
  const stack = new Stack({
    dir: REPO_ROOT, stack: "dev",
    config: { "analytics-access:endpoint": endpoint, ...(manifest ? { "analytics-access:manifest": manifest } : {}) },
    secrets: { "analytics-access:token": token },
  });
  const up = await stack.up();
  expect(up.ok, up.text()).toBe(true);
  expectNowhere(up, stack, token);
  return up;
}

beforeAll(async () => {
  p = await startPlatform({ demo: true, rateLimit: false });
  // Tenant A: the demo tenant with the example manifest applied.
  await upExample(p.url, p.adminToken!);
  textA = await exportText(p.adminToken!);

  // Tenant B: same directory, same licences and settings, its own admin (same email and keys), no groups or workspaces.
  const b = p.createTenant({ name: "Another Company", profile: "dimensions", recordingBucket: "s3://another-bucket", licences: DEMO_LICENCES });
  for (const d of demoDirectory()) p.addDirectoryEntry(b.id, d);
  const admin = p.store.getUserByEmail(p.demoTenantId!, DEMO_ADMIN_EMAIL)!;
  p.createPortalUser(b.id, { email: DEMO_ADMIN_EMAIL, displayName: admin.displayName, roles: admin.roles });
  tokenB = p.issueToken(b.id, DEMO_ADMIN_EMAIL);
}, 180_000);
afterAll(async () => p?.close());

describe("export", () => {
  it("round trip: export A, apply it to an empty tenant B, export B: the same bytes", async () => {
    const before = await exportText(tokenB);
    expect(before).not.toBe(textA); // B really starts elsewhere
    const dir = mkdtempSync(join(tmpdir(), "aa-export-"));
    const file = join(dir, "a.yaml");
    writeFileSync(file, textA);
    const up = await upExample(p.url, tokenB, file);
    expect(up.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic")).every((s) => s.op === "create")).toBe(true);
    const textB = await exportText(tokenB);
    expect(textB).toBe(textA);
    // And with --all (baseline users too), the two tenants still agree.
    expect(await exportText(tokenB, true)).toBe(await exportText(p.adminToken!, true));
  }, 180_000);

  it("re-exporting an unchanged tenant gives identical bytes", async () => {
    expect(await exportText(p.adminToken!)).toBe(textA);
    expect(await exportText(p.adminToken!)).toBe(textA);
  });

  it("the export parses back to the exported manifest with no problems, offline and against the live tenant", async () => {
    const manifest = await exportManifest(session(p.adminToken!));
    const offline = parseManifest(textA, "a.yaml");
    expect(offline.problems).toEqual([]);
    expect(offline.manifest).toEqual(Manifest.parse(manifest));
    const live = parseManifest(textA, "a.yaml", { tenant: await session(p.adminToken!).facts() });
    expect(live.problems).toEqual([]);
    expect(live.unchecked).toEqual([]);
  });

  it("is minimal and carries nothing tenant-specific", async () => {
    const s = session(p.adminToken!);
    const tenant = (await (await fetch(`${p.apiUrl}/tenant`, { headers: { authorization: `Bearer ${p.adminToken}` } })).json()) as { name: string };
    const ids = [...(await s.users()).map((u) => u.id), ...(await s.groups()).map((g) => g.id), ...(await s.workspaces()).map((w) => w.id)];
    for (const id of ids) expect(textA).not.toContain(id);
    expect(textA).not.toContain(tenant.name);
    expect(textA).not.toContain("origin:");
    expect(textA).not.toMatch(/^\s+- extension: "\d+"\n\s+(email|displayName):/m); // PBX users by extension only
    // Ada (ext 201) as the example manifest's team-lead template expanded: Website Access is implied by her tier.
    expect(textA).toContain([
      '  - extension: "201"',
      "    accessType: professional",
      "    tier: liveAnalytics",
      "    permissions:",
      "      supervisorAgentControl: true",
      "      recordingPlayback: own",
      "    ucClient:",
      "      desktop: true",
      "      softphone:",
      "        device: dev-201-desk",
      "    groups:",
      "      - Management",
      "      - Sales",
      "    primaryGroup: Sales",
      "",
    ].join("\n"));
    // PBX users in numeric order, then manual users by email.
    const keys = [...textA.matchAll(/^  - (extension|email): "?([^"\n]+)"?$/gm)].map((m) => m[2]);
    const exts = keys.filter((k) => /^\d+$/.test(k));
    expect(exts).toEqual([...exts].sort((a, b) => Number(a) - Number(b)));
    expect(keys.slice(exts.length)).toEqual(["admin@demo.example", "auditor@partner.example"]);
  });

  it("leaves PBX users at the phone system's baseline out unless --all", async () => {
    const ext = "250";
    const u = (await session(p.adminToken!).users()).find((x) => x.extension === ext)!;
    // Strip ext 250 back to the baseline (Essential, no group).
    const res = await fetch(`${p.apiUrl}/users/${u.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${p.adminToken}`, "content-type": "application/json", "if-match": u.etag! },
      body: JSON.stringify({ roles: ["customer.user.pbx"], groups: [], primaryGroup: null, softphoneDevice: null }),
    });
    expect(res.status, await res.text()).toBe(200);
    const text = await exportText(p.adminToken!);
    expect(text).not.toContain(`extension: "${ext}"`);
    expect(await exportText(p.adminToken!, true)).toContain(`  - extension: "${ext}"\n  - email:`);
  });
});

describe("export of named roles (Office@Hand)", () => {
  it("exports custom roles with their report permissions and holders, presets as assignments only, parsing with no problems", async () => {
    const q = await startPlatform({ rateLimit: false });
    try {
      const setUp = (name: string) => {
        const t = q.createTenant({ name, profile: "officeathand" });
        for (const ext of ["201", "202", "203"]) q.addDirectoryEntry(t.id, { extension: ext, displayName: `User ${ext}`, email: `u${ext}@acme.example` });
        q.createPortalUser(t.id, { email: "admin@acme.example", displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
        return { id: t.id, token: q.issueToken(t.id, "admin@acme.example") };
      };
      const a = setUp("Acme");
      const call = async (token: string, method: string, path: string, body?: unknown, etag?: string) => {
        const res = await fetch(`${q.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(etag ? { "if-match": etag } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
        const json = await res.json() as Record<string, any>;
        expect(res.status, JSON.stringify(json)).toBeLessThan(300);
        return json;
      };
      const users = (await call(a.token, "GET", "/users?limit=500")).items as { id: string; extension: string | null }[];
      const id = (ext: string) => users.find((u) => u.extension === ext)!.id;
      const role = await call(a.token, "POST", "/roles", { name: "Floor Leads", description: "Live reports, view only", permissions: ["performance", "live-reports.view"], accountScopes: [] });
      await call(a.token, "PUT", `/roles/${role.id}/assignments`, { userIds: [id("202"), id("201")] }, role.etag);
      const text = renderManifest(await exportManifest(new Session({ endpoint: q.url, token: a.token, licenceWaitMs: 0 })), OPTS);
      expect(text).toContain([
        "roles:",
        "  - name: Floor Leads",
        "    description: Live reports, view only",
        "    reportPermissions:",
        "      - liveReportsViewOnly",
        "      - performance",
        "",
        "users:",
        '  - extension: "201"',
        "    roles:",
        "      - Floor Leads",
        '  - extension: "202"',
        "    roles:",
        "      - Floor Leads",
      ].join("\n"));
      expect(text).not.toContain("Super Admin");
      expect(parseManifest(text, "a.yaml").problems).toEqual([]);

      // Applied to a second Office@Hand tenant with the same directory, it exports the same bytes.
      const b = setUp("Beta");
      const file = join(mkdtempSync(join(tmpdir(), "aa-oah-")), "access.yaml");
      writeFileSync(file, text);
      await upExample(q.url, b.token, file);
      expect(renderManifest(await exportManifest(new Session({ endpoint: q.url, token: b.token, licenceWaitMs: 0 })), OPTS)).toBe(text);

      // A preset (read-only, never declared) shows as an assignment on the user.
      const preset = ((await call(a.token, "GET", "/roles")).items as { id: string; name: string; etag: string }[]).find((r) => r.name === "Super Admin")!;
      await call(a.token, "PUT", `/roles/${preset.id}/assignments`, { userIds: [id("203")] }, preset.etag);
      const withPreset = renderManifest(await exportManifest(new Session({ endpoint: q.url, token: a.token, licenceWaitMs: 0 })), OPTS);
      expect(withPreset).toContain('  - extension: "203"\n    roles:\n      - Super Admin\n');
      expect(withPreset).not.toContain("- name: Super Admin");
      expect(parseManifest(withPreset, "a.yaml").problems).toEqual([]);
    } finally {
      await q.close();
    }
  }, 180_000);
});

// `platform serve --demo` seeds a tenant of every profile, each one a tenant the tool manages as it
// is: exported as a manifest of its own profile, which validates against the live tenant.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TENANTS, startPlatform, type RunningPlatform } from "../../platform";
import { PROFILES } from "../../schema";
import { REPO_ROOT } from "../support/engine";

let p: RunningPlatform;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-demo-"));
beforeAll(async () => { p = await startPlatform({ demo: true, rateLimit: false }); });
afterAll(async () => { await p.close(); fs.rmSync(dir, { recursive: true, force: true }); });

// Asynchronously: the platform answers from this process.
const cli = (args: string[], token: string) =>
  promisify(execFile)(process.execPath, [path.join(REPO_ROOT, "dist/cli/index.js"), ...args], { env: { ...process.env, ANALYTICS_ACCESS_TOKEN: token } });

describe("the demo tenants", () => {
  it("cover every profile", () => {
    expect(new Set(p.demoTenants.map((t) => t.profile))).toEqual(new Set(Object.keys(PROFILES)));
    expect(p.demoTenants.map((t) => t.id)).toEqual(DEMO_TENANTS.map((t) => t.id));
  });

  it.each(DEMO_TENANTS.map((t) => [t.id, t.profile]))("%s (%s) exports a manifest of its profile that validates against it", async (id, profile) => {
    const t = p.demoTenants.find((x) => x.id === id)!;
    const file = path.join(dir, `${id}.yaml`);
    await cli(["export", "--endpoint", p.url, "--out", file], t.token);
    const manifest = parse(fs.readFileSync(file, "utf8")) as { profile: string; users?: unknown[] };
    expect(manifest.profile).toBe(profile);
    expect(manifest.users?.length).toBeGreaterThan(0); // each has users beyond the phone system's baseline
    await cli(["validate", file, "--endpoint", p.url], t.token); // exit 0, or execFile rejects with the problems
  });
});

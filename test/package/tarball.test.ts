/**
 * A packaging claim counts only from the packed tarball installed in a fresh project: `npm pack`,
 * then `npm install <tarball>` into a project laid out like `pulumi new typescript`, then that
 * project's own `tsc` (Pulumi's template tsconfig: no skipLibCheck, target es2020, @types/node 18),
 * `require` of the entry points and the runtime paths the provider stub needs (and of nothing else:
 * `exports` names only those), and the bin.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform } from "../../platform";
import { Stack } from "../support/engine";
import { createFreshProject, npm, type PackedTarball, packRepository, projectEnv, REPO_ROOT } from "../support/package";

const SETUP_TIMEOUT = 240_000;

describe("the packed tarball, installed in a fresh Pulumi TypeScript project", { timeout: 120_000 }, () => {
  let tmp: string;
  let packed: PackedTarball;
  let project: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aa-tarball-"));
    packed = packRepository(tmp);
    project = createFreshProject({ tarball: packed.file, dir: path.join(tmp, "access-infra") });
  }, SETUP_TIMEOUT);
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs this Node in the project directory. */
  const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: project, env: projectEnv(), encoding: "utf8", timeout: 60_000 });

  it("ships the compiled dist (JS, declarations, source maps), the JSON Schemas and the README; nothing else", () => {
    const files = packed.files;
    for (const f of [
      "package.json", "README.md",
      "dist/cli/index.js", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/index.js.map",
      "dist/schema/index.js", "dist/schema/index.d.ts",
      "dist/manifest/index.js", "dist/manifest/index.d.ts", "dist/review/index.js",
      "dist/provider/runtime/host.js", "dist/provider/runtime/stub.js",
      "schema/manifest.schema.json", "schema/manifest.overlay.schema.json",
    ]) expect(files).toContain(f);
    const unwanted = files.filter((f) =>
      /^(test|bench|examples|\.ci|node_modules|dist\/examples)\//.test(f)
      || (/\.(ts|mts|cts)$/.test(f) && !/\.d\.ts$/.test(f))
      || /(^|\/)Pulumi(\.[^/]*)?\.yaml$/.test(f)
      || /^(tsconfig[^/]*\.json|vitest\.config\.mts|package-lock\.json|\.gitignore)$/.test(f)
      || /\.db$/.test(f));
    expect(unwanted).toEqual([]);
    for (const f of files) expect(f, "every shipped file is dist output, a JSON Schema, the README or package.json").toMatch(/^(dist\/(cli|manifest|platform|provider|review|schema)\/.+\.(js|d\.ts|js\.map)|schema\/[^/]+\.json|README\.md|LICENSE|package\.json)$/);
  });

  it("type-checks with the project's own tsc and Pulumi's template tsconfig (no skipLibCheck)", () => {
    const r = npm(["exec", "--no", "--", "tsc", "--noEmit", "-p", ".", "--listFiles"], project, { allowFailure: true });
    expect(r.status, `${r.stdout.split("\n").filter((l) => !l.startsWith("/")).join("\n")}${r.stderr}`).toBe(0);
    // The types really come from the installed package's declarations (no shipped sources to fall back on).
    const ours = r.stdout.split("\n").filter((f) => f.includes("node_modules/analytics-access/"));
    expect(ours).toContain(path.join(fs.realpathSync(project), "node_modules/analytics-access/dist/provider/index.d.ts"));
    expect(ours.filter((f) => !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("resolves the declarations of every entry point under nodenext, node16 and legacy node10 resolution (typesVersions)", () => {
    const probe = "resolution-probe.ts";
    fs.writeFileSync(path.join(project, probe), [
      `import { Access } from "analytics-access/provider";`,
      `import { Manifest } from "analytics-access/schema";`,
      `import { loadManifest } from "analytics-access/manifest";`,
      `import { attach } from "analytics-access/provider/runtime/host";`,
      `export { Access, Manifest, loadManifest, attach };`,
    ].join("\n"));
    try {
      const real = fs.realpathSync(project);
      for (const [module, resolution] of [["nodenext", "nodenext"], ["node16", "node16"], ["commonjs", "node10"]]) {
        const r = npm(["exec", "--no", "--", "tsc", "--noEmit", "--module", module, "--moduleResolution", resolution, "--traceResolution", "--listFilesOnly", probe], project);
        const resolved = Object.fromEntries([...r.stdout.matchAll(/Module name '(analytics-access[^']*)' was successfully resolved to '([^']+)'/g)].map((m) => [m[1], m[2]]));
        expect(resolved, resolution).toEqual({
          "analytics-access/provider": path.join(real, "node_modules/analytics-access/dist/provider/index.d.ts"),
          "analytics-access/schema": path.join(real, "node_modules/analytics-access/dist/schema/index.d.ts"),
          "analytics-access/manifest": path.join(real, "node_modules/analytics-access/dist/manifest/index.d.ts"),
          "analytics-access/provider/runtime/host": path.join(real, "node_modules/analytics-access/dist/provider/runtime/host.d.ts"),
        });
      }
    } finally {
      fs.rmSync(path.join(project, probe));
    }
  });

  it("requires the public entry points, and resolves the runtime module the provider stub loads by name", () => {
    const r = node(["-e", `
      const provider = require("analytics-access/provider");
      for (const k of ["Access", "User", "Group", "Workspace", "WorkspaceGrant", "Role"]) if (typeof provider[k] !== "function") throw new Error(k + " is not exported");
      if (typeof require("analytics-access/schema").Manifest !== "object") throw new Error("schema: no Manifest");
      if (typeof require("analytics-access/manifest").loadManifest !== "function") throw new Error("manifest: no loadManifest");
      // Only the public entry points resolve: the package's inner modules are not an API.
      for (const inner of ["analytics-access/schema/rules/context", "analytics-access/cli/review", "analytics-access/provider/resources/user", "analytics-access/provider/backends/embedded/wire"]) {
        let code;
        try { require.resolve(inner); } catch (e) { code = e.code; }
        if (code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw new Error(inner + " resolves (" + code + "), but is not a public entry point");
      }
      const host = require.resolve("analytics-access/provider/runtime/host");
      if (typeof require(host).attach !== "function") throw new Error("host: no attach");
      // The stub resolves the host the way it does in the dynamic-provider host: from the project directory.
      require("module").createRequire(process.cwd() + "/")("analytics-access/provider/runtime/host");
      console.log(JSON.stringify({ host, stub: require.resolve("analytics-access/provider/runtime/stub") }));
    `]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const resolved = JSON.parse(r.stdout);
    expect(resolved.host).toBe(path.join(fs.realpathSync(project), "node_modules/analytics-access/dist/provider/runtime/host.js"));
    expect(resolved.stub).toMatch(/node_modules\/analytics-access\/dist\/provider\/runtime\/stub\.js$/);
  });

  it("runs `npx analytics-access --help`, and validates the project's manifest against the shipped schema's header", () => {
    const help = npm(["exec", "--no", "--", "analytics-access", "--help"], project);
    expect(help.stdout).toMatch(/^usage: analytics-access <command>/);
    for (const c of ["validate", "review", "export", "schema", "platform"]) expect(help.stdout).toContain(`  ${c} `);
    const validate = npm(["exec", "--no", "--", "analytics-access", "validate", "access.yaml"], project, { allowFailure: true });
    expect(validate.stdout).toMatch(/^access\.yaml: 1 user, 1 group, 1 workspace, 0 roles: valid/);
    expect(validate.status).toBe(0);
    const header = fs.readFileSync(path.join(project, "access.yaml"), "utf8").split("\n")[0];
    const schema = header.replace(/^# yaml-language-server: \$schema=/, "");
    expect(JSON.parse(fs.readFileSync(path.join(project, schema), "utf8")).$schema).toMatch(/json-schema\.org/);
  });

  it("runs the project's program as the Pulumi CLI would (engine model: ts-node, the project's SDK and host): preview, up, a no-op up", async () => {
    const platform = await startPlatform({ rateLimit: false });
    try {
      const tenant = platform.createTenant({ name: "Customer", profile: "dimensions", recordingBucket: null });
      platform.createPortalUser(tenant.id, { email: "admin@customer.example", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
      const token = platform.issueToken(tenant.id, "admin@customer.example");
      const stack = new Stack({ dir: project, stack: "dev", config: { "analytics-access:endpoint": platform.url }, secrets: { "analytics-access:token": token } });
      const preview = await stack.preview();
      expect(preview.ok, preview.text()).toBe(true);
      expect(preview.steps.filter((s) => s.op === "create").map((s) => s.urn.split("::").pop())).toEqual(expect.arrayContaining(["access-group-sales", "access-user-email-lead@customer.example", "auditor"]));
      const up = await stack.up();
      expect(up.ok, up.text()).toBe(true);
      expect(up.outputs).toMatchObject({ users: 1, auditorUserId: expect.any(String) });
      const again = await stack.up();
      expect(again.steps.filter((s) => s.op !== "same")).toEqual([]);
      expect(stack.stateFile.text()).not.toContain(token);
    } finally {
      await platform.close();
    }
  }, 180_000);

  it("keeps the repository's own files out of the project: no sources, stack files or tests were installed", () => {
    const installed = path.join(project, "node_modules", "analytics-access");
    expect(fs.readdirSync(installed).sort()).toEqual(fs.existsSync(path.join(REPO_ROOT, "LICENSE")) ? ["LICENSE", "README.md", "dist", "package.json", "schema"] : ["README.md", "dist", "package.json", "schema"]);
  });
});

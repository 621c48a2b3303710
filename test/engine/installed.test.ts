/**
 * The stub must also work when a user installs this package under node_modules: then the host's
 * cwd is the user's project, and `analytics-access/...` resolves through its node_modules.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderHost, REPO_ROOT, urnFor } from "../support/engine";
import { serializedStub } from "../support/engine-serialize";

describe("stub resolved from an installed copy under node_modules", () => {
  let dir: string;
  let host: ProviderHost;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-installed-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-infra", private: true }));
    const pkg = path.join(dir, "node_modules", "analytics-access");
    fs.mkdirSync(path.join(pkg, "dist", "provider"), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(pkg, "package.json"));
    fs.cpSync(path.join(REPO_ROOT, "dist", "provider", "runtime"), path.join(pkg, "dist", "provider", "runtime"), { recursive: true });
    // Mark the copy so the test can tell it apart from the repo's own dist/.
    const echo = path.join(pkg, "dist", "provider", "runtime", "echo.js");
    fs.writeFileSync(echo, fs.readFileSync(echo, "utf8").replace('kind: "echo"', 'kind: "echo (installed copy)"'));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"));
    host = await ProviderHost.start({ cwd: dir });
    await host.configure({ "analytics-access:endpoint": "http://installed.example" });
  });
  afterAll(async () => {
    await host?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates through the installed package", async () => {
    const provider = await serializedStub("echo");
    const urn = urnFor("i");
    const checked = await host.check(urn, {}, { key: "i", value: "v", __provider: provider });
    const created = await host.create(urn, checked.inputs);
    expect(created.properties).toMatchObject({ kind: "echo (installed copy)", endpoint: "http://installed.example", authenticated: false });
    expect(created.id).toBe("echo-i");
  });
});

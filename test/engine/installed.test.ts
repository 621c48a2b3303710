/**
 * The stub must also work when a user installs this package under node_modules: then the program
 * and the provider host run in the user's project (the CLI starts the host in the program's
 * folder), and `analytics-access/...` resolves through its node_modules, to the installed copy,
 * for the program's `require` and for the stub's in the host alike.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, Stack } from "../support/engine";
import { makeProject } from "../support/projects";
import { ops } from "../support/runs";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { providerFor } = require("analytics-access/provider/runtime/stub");

class Echo extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(providerFor("echo"), name, { endpoint: undefined, authenticated: undefined, revision: undefined, kind: undefined, ...args }, opts, "analytics-access", "Echo");
  }
}

const echo = new Echo("i", { key: "i", value: "v" });
module.exports = { id: echo.id, kind: echo.kind, endpoint: echo.endpoint, authenticated: echo.authenticated };
`;

describe("stub resolved from an installed copy under node_modules", () => {
  let dir: string;

  beforeAll(() => {
    dir = makeProject({ name: "user-infra", options: { typescript: false }, files: { "index.js": PROGRAM } });
    // node_modules/analytics-access as `npm install` leaves it: a copy, not a link to this checkout.
    const pkg = path.join(dir, "node_modules", "analytics-access");
    fs.rmSync(pkg, { recursive: true, force: true });
    fs.mkdirSync(path.join(pkg, "dist", "provider"), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(pkg, "package.json"));
    fs.cpSync(path.join(REPO_ROOT, "dist", "provider", "runtime"), path.join(pkg, "dist", "provider", "runtime"), { recursive: true });
    // Mark the copy so the test can tell it apart from the repo's own dist/.
    const echo = path.join(pkg, "dist", "provider", "runtime", "echo.js");
    fs.writeFileSync(echo, fs.readFileSync(echo, "utf8").replace('kind: "echo"', 'kind: "echo (installed copy)"'));
    expect(fs.lstatSync(pkg).isSymbolicLink()).toBe(false);
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates and deletes through the installed package", async () => {
    const stack = new Stack({ dir, stack: "dev", config: { "analytics-access:endpoint": "http://installed.example" } });
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(ops(up)).toEqual({ i: "create" });
    expect(up.outputs).toEqual({ id: "echo-i", kind: "echo (installed copy)", endpoint: "http://installed.example", authenticated: false });
    const [state] = stack.resources();
    expect(state.id).toBe("echo-i");
    expect(state.outputs).toMatchObject({ kind: "echo (installed copy)", endpoint: "http://installed.example", authenticated: false });
    // State holds the stub, which names the package, not a path to it.
    expect(String(state.inputs.__provider)).toContain('"analytics-access/provider/runtime/host"');
    expect(stack.stateFile.text()).not.toContain(REPO_ROOT);

    // destroy runs no program: the host alone loads the installed copy again, from the state's stub.
    const destroyed = await stack.destroy();
    expect(destroyed.ok, destroyed.text()).toBe(true);
    expect(destroyed.calls.map((c) => c.method)).toEqual(["configure", "delete"]);
    expect(stack.state().resources).toEqual([]);
  });
});

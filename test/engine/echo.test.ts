import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderHost, Stack, urnFor, HostCallError, secret } from "../support/engine";
import { serializedStub } from "../support/engine-serialize";
import { makeProject } from "../support/projects";
import { chains, checkFailures, dynamicSteps, expectNowhere, nameOf, ops, stepOf } from "../support/runs";

const TOKEN = "tok_3f9a1c77e2b54d0e9c1a";
const ENDPOINT = "http://127.0.0.1:9/api";
const CONFIG = { "analytics-access:endpoint": ENDPOINT, "analytics-access:token": TOKEN };

describe("echo kind through the real dynamic-provider host", () => {
  let host: ProviderHost;
  let provider: string;

  beforeAll(async () => {
    provider = await serializedStub("echo");
    host = await ProviderHost.start();
    const conf = await host.configure(CONFIG, { secretKeys: ["analytics-access:token"] });
    expect(conf).toEqual({ acceptSecrets: false, supportsPreview: false });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it("stores a small __provider without the token", () => {
    expect(provider.length).toBeLessThanOrEqual(1024);
    expect(provider).toContain('kind: "echo"');
    expect(provider).not.toContain(TOKEN);
    expect(provider).not.toContain(ENDPOINT);
  });

  it("runs check, create, diff, update, read and delete", async () => {
    const urn = urnFor("a");
    const news = { key: " alpha ", value: "one", __provider: provider };
    const checked = await host.check(urn, {}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toEqual({ key: "alpha", value: "one", __provider: provider });

    const created = await host.create(urn, checked.inputs);
    expect(created.id).toBe("echo-alpha");
    expect(created.properties).toEqual({
      key: "alpha", value: "one", kind: "echo", endpoint: ENDPOINT, authenticated: true, revision: 1, __provider: provider,
    });

    const same = await host.diff(created.id, urn, created.properties, checked.inputs, checked.inputs);
    expect(same).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });

    const changed = { ...checked.inputs, value: "two" };
    expect((await host.diff(created.id, urn, created.properties, changed)).changes).toBe("some");
    const rekeyed = { ...checked.inputs, key: "beta" };
    expect((await host.diff(created.id, urn, created.properties, rekeyed)).replaces).toEqual(["key"]);

    const updated = await host.update(created.id, urn, created.properties, changed, checked.inputs);
    expect(updated.properties).toMatchObject({ value: "two", revision: 2, __provider: provider });

    const read = await host.read(created.id, urn, updated.properties, changed);
    expect(read.id).toBe(created.id);
    expect(read.properties).toMatchObject({ value: "two", revision: 2, __provider: provider });

    await host.delete(created.id, urn, read.properties, changed);
  });

  it("returns check failures as data, with secrets scrubbed", async () => {
    const r = await host.check(urnFor("bad"), {}, { value: 3, fail: "check", __provider: provider });
    expect(r.failures.map((f) => f.property)).toEqual(["key", "value", "fail"]);
    expect(r.failures[2]!.reason).toContain("[secret]");
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it("scrubs the token from create errors", async () => {
    const err = await host.create(urnFor("leak"), { key: "k", value: "v", fail: "leak", __provider: provider }).catch((e) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect(err.message).toContain("rejected token [secret]");
    expect(err.message).not.toContain(TOKEN);
  });

  it("sends plain values to a host that does not accept secrets", async () => {
    const r = await host.check(urnFor("s"), {}, { key: "k", value: secret("hidden"), __provider: provider });
    expect(r.inputs.value).toBe("hidden");
  });

  it("never shows the token in the host's output or engine logs", async () => {
    // A failing Delete is printed by the host to stderr (which the engine shows as a log line).
    const err = await host.delete("echo-x", urnFor("x"), { key: "x", value: "v", fail: "leak", __provider: provider }).catch((e) => e);
    expect(err).toBeInstanceOf(HostCallError);
    expect(err.message).not.toContain(TOKEN);
    expect(await host.waitForOutput("rejected token [secret]")).toBe(true);
    expect(host.stderr).toContain("rejected token [secret]");
    expect(host.output()).not.toContain(TOKEN);
  });
});

/** A plain-JS program declaring the `echo` resources listed in echoes.json beside it, in that order. */
const ECHO_PROGRAM = `"use strict";
const fs = require("node:fs");
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const { providerFor } = require("analytics-access/provider/runtime/stub");

class Echo extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(providerFor("echo"), name, { endpoint: undefined, authenticated: undefined, revision: undefined, kind: undefined, ...args }, opts, "analytics-access", "Echo");
  }
}

const made = {};
for (const { name, args, dependsOn } of JSON.parse(fs.readFileSync(path.join(__dirname, "echoes.json"), "utf8"))) {
  made[name] = new Echo(name, args, { dependsOn: (dependsOn || []).map((d) => made[d]) });
}
module.exports = Object.fromEntries(Object.entries(made).map(([name, e]) => [name, e.revision]));
`;

interface EchoDecl { name: string; args: Record<string, unknown>; dependsOn?: string[] }

describe("echo resources through the engine", () => {
  const dir = makeProject({ name: "analytics-access", options: { typescript: false }, files: { "index.js": ECHO_PROGRAM, "echoes.json": "[]" } });
  const declare = (echoes: EchoDecl[]) => fs.writeFileSync(path.join(dir, "echoes.json"), JSON.stringify(echoes));
  const stack = new Stack({ dir, stack: "test", config: { "analytics-access:endpoint": ENDPOINT }, secrets: { "analytics-access:token": TOKEN } });
  const state = () => stack.resources().map((r) => ({ name: nameOf(r.urn), id: r.id, outputs: r.outputs }));

  it("runs the engine sequences: preview, up, refresh, destroy", async () => {
    declare([{ name: "one", args: { key: "one", value: "1" } }, { name: "two", args: { key: "two", value: "2" } }]);
    const plan = await stack.preview();
    expect(plan.ok, plan.text()).toBe(true);
    expect(ops(plan)).toEqual({ one: "create", two: "create" });
    expect(stepOf(plan, "one").inputs).toMatchObject({ key: "one", value: "1" });
    expect(plan.calls.map((c) => c.method).filter((m) => m !== "check" && m !== "configure")).toEqual([]); // preview writes nothing
    expect(stack.resources()).toEqual([]);

    const first = await stack.up();
    expect(first.ok, first.text()).toBe(true);
    expect(ops(first)).toEqual({ one: "create", two: "create" });
    expect(first.outputs).toEqual({ one: 1, two: 1 });
    expect(state().map((s) => s.id).sort()).toEqual(["echo-one", "echo-two"]);
    expect(stack.resources()[0].outputs).toMatchObject({ endpoint: ENDPOINT, authenticated: true, kind: "echo" });

    // A change of value updates, a change of key replaces, an empty key fails Check. The third
    // depends on the other two, so their steps are planned before its Check stops the preview.
    const next: EchoDecl[] = [{ name: "one", args: { key: "one", value: "1b" } }, { name: "two", args: { key: "two-renamed", value: "2" } }];
    declare([...next, { name: "three", args: { key: "", value: "3" }, dependsOn: ["one", "two"] }]);
    const plan2 = await stack.preview();
    expect(plan2.ok).toBe(false);
    expect(ops(plan2)).toEqual({ one: "update", two: "replace" });
    expect(stepOf(plan2, "one").diff).toMatchObject({ decidedBy: "provider", changes: "some", replaceKeys: [] });
    expect(chains(plan2).two.find((s) => s.op === "replace")?.diff).toMatchObject({ replaceKeys: ["key"], deleteBeforeReplace: false });
    expect(checkFailures(plan2, "three")).toEqual([{ name: "three", property: "key", reason: "key must be a non-empty string" }]);
    expect(plan2.calls.filter((c) => ["create", "update", "delete"].includes(c.method))).toEqual([]);

    declare(next);
    const second = await stack.up();
    expect(second.ok, second.text()).toBe(true);
    expect(ops(second)).toEqual({ one: "update", two: "replace" });
    // Create before delete: the replacement first, the old one deleted after the program.
    expect(chains(second).two.map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    expect(state().map((s) => s.id).sort()).toEqual(["echo-one", "echo-two-renamed"]);
    expect(state().find((s) => s.name === "one")!.outputs.revision).toBe(2);
    expect(second.outputs).toEqual({ one: 2, two: 1 });

    const noop = await stack.up();
    expect(noop.ok, noop.text()).toBe(true);
    expect(ops(noop)).toEqual({ one: "same", two: "same" });
    expect(noop.calls.filter((c) => ["create", "update", "delete"].includes(c.method))).toEqual([]);

    const refreshed = await stack.refresh();
    expect(refreshed.ok, refreshed.text()).toBe(true);
    expect(ops(refreshed)).toEqual({ one: "refresh", two: "refresh" });
    expect(dynamicSteps(refreshed).map((s) => s.drift?.changes)).toEqual(["none", "none"]);

    const destroyed = await stack.destroy();
    expect(destroyed.ok, destroyed.text()).toBe(true);
    expect(ops(destroyed)).toEqual({ one: "delete", two: "delete" });
    expect(stack.state().resources).toEqual([]);

    for (const r of [plan, first, plan2, second, noop, refreshed, destroyed]) expectNowhere(r, stack, TOKEN);
  });
});

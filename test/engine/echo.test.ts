import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderHost, urnFor, HostCallError, secret, type ResourceState } from "../support/engine";
import { serializedStub } from "../support/engine-serialize";

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

  it("runs the engine sequences: preview, up, refresh, destroy", async () => {
    const desired = [
      { urn: urnFor("one"), inputs: { key: "one", value: "1", __provider: provider } },
      { urn: urnFor("two"), inputs: { key: "two", value: "2", __provider: provider } },
    ];
    const plan = await host.preview(desired);
    expect(plan.map((s) => s.op)).toEqual(["create", "create"]);

    const first = await host.up(desired);
    expect(first.ok).toBe(true);
    expect(first.steps.map((s) => s.op)).toEqual(["create", "create"]);
    let states: ResourceState[] = first.states;

    const next = [
      { urn: urnFor("one"), inputs: { key: "one", value: "1b", __provider: provider } },
      { urn: urnFor("two"), inputs: { key: "two-renamed", value: "2", __provider: provider } },
      { urn: urnFor("three"), inputs: { key: "", value: "3", __provider: provider } },
    ];
    const plan2 = await host.preview(next, states);
    expect(plan2.map((s) => s.op)).toEqual(["update", "replace", "failed"]);
    expect(plan2[2]!.failures).toEqual([{ property: "key", reason: "key must be a non-empty string" }]);

    const second = await host.up(next.slice(0, 2), states);
    expect(second.steps.map((s) => s.op)).toEqual(["update", "replace"]);
    states = second.states;
    expect(states.map((s) => s.id)).toEqual(["echo-one", "echo-two-renamed"]);
    expect(states[0]!.outputs.revision).toBe(2);

    const noop = await host.up(next.slice(0, 2), states);
    expect(noop.steps.map((s) => s.op)).toEqual(["same", "same"]);

    const refreshed = await host.refresh(states);
    expect(refreshed.steps.map((s) => s.op)).toEqual(["refresh", "refresh"]);

    const destroyed = await host.destroy(refreshed.states);
    expect(destroyed.ok).toBe(true);
    expect(destroyed.states).toEqual([]);
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

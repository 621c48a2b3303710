import { describe, expect, it } from "vitest";
import { HostCallError, withHost, urnFor } from "../support/engine";
import { serializedStub, stubFor } from "../support/engine-serialize";

const TOKEN = "tok_configure_77aa01";

describe("providerFor stub", () => {
  it("returns one object per kind and rejects kinds that are not plain names", () => {
    expect(stubFor("echo")).toBe(stubFor("echo"));
    expect(() => stubFor("../echo")).toThrow(/invalid provider kind/);
    expect(() => stubFor("Echo")).toThrow(/invalid provider kind/);
  });

  it("serializes to at most 1 KB with only the kind captured", async () => {
    const text = await serializedStub("echo");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    expect(text).toContain('with({ kind: "echo"');
    expect(text).toContain(`"${require("../../package.json").name}/provider/runtime/host"`);
  });

  it("is, for every registered kind, the same text with only the kind's name in it (what existing states hold)", async () => {
    const echo = await serializedStub("echo");
    for (const kind of ["user", "group", "workspace", "workspace-grant", "role"]) {
      const text = await serializedStub(kind);
      expect(text).toContain(`with({ kind: "${kind}"`);
      expect(text.replace(`kind: "${kind}"`, 'kind: "echo"')).toBe(echo);
    }
  });

  it("reports an unknown kind on every call, naming the registry and the known kinds", async () => {
    const provider = await serializedStub("no-such-kind");
    await withHost(async (host) => {
      await host.configure({});
      const err = await host.check(urnFor("x"), {}, { __provider: provider }).catch((e) => e);
      expect(err).toBeInstanceOf(HostCallError);
      expect(err.message).toContain('unknown provider kind "no-such-kind": not in the registry of resource kinds (provider/resources/index.ts: user, group, workspace, workspace-grant, role)');
      // Delete must fail too: a provider without `delete` makes the host report success.
      const del = await host.delete("id", urnFor("x"), { __provider: provider }).catch((e) => e);
      expect(del).toBeInstanceOf(HostCallError);
    });
  });

  it("reports a configure failure on every later call, scrubbed (the host caches the provider anyway)", async () => {
    const provider = await serializedStub("echo");
    await withHost(async (host) => {
      await host.configure({ "analytics-access:token": TOKEN, "analytics-access:echo-fail-configure": "true" });
      for (let i = 0; i < 2; i++) {
        const err = await host.create(urnFor("x"), { key: "k", value: "v", __provider: provider }).catch((e) => e);
        expect(err).toBeInstanceOf(HostCallError);
        expect(err.message).toContain("configure refused token [secret]");
      }
      const checkErr = await host.check(urnFor("x"), {}, { key: "k", value: "v", __provider: provider }).catch((e) => e);
      expect(checkErr.message).toContain("configure refused");
      await host.waitForOutput("configure refused");
      expect(host.output()).not.toContain(TOKEN);
    });
  });
});

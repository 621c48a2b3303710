// The registry of resource kinds: the names stored in state, a complete handler per kind, the host
// resolving kinds through it, and Check refusing at preview what the configured backend cannot carry.
import { afterEach, describe, expect, it } from "vitest";
import type { Backend, Capabilities } from "../backends/backend";
import { EmbeddedBackend } from "../backends/embedded";
import { createRequire } from "node:module";
import { join } from "node:path";
import { METHODS } from "../runtime/host";
import { resetSession } from "../session";
import { capabilityFailures } from "./common";
import { handlerFor, KINDS, type Kind } from ".";

afterEach(() => resetSession());

describe("the registry of resource kinds", () => {
  it("holds the kinds existing states name, each under its own name", () => {
    // These strings are stored in state with every resource's provider stub: never rename one.
    expect(Object.keys(KINDS)).toEqual(["user", "group", "workspace", "workspace-grant", "role"]);
    for (const [name, def] of Object.entries(KINDS)) expect(def.kind).toBe(name);
  });

  it("gives every kind all six methods, and the host resolves kinds through it", () => {
    // The host as the dynamic-provider host loads it: compiled (npm run build), by the package's name.
    const host: typeof import("../runtime/host") = createRequire(join(__dirname, "../../package.json"))("analytics-access/provider/runtime/host");
    const { loadHandler } = host;
    for (const kind of Object.keys(KINDS) as Kind[]) {
      expect(Object.keys(handlerFor(kind)).sort()).toEqual(["configure", ...METHODS].sort());
      const h = loadHandler(kind);
      for (const m of METHODS) expect(typeof h[m], `${kind}.${m}`).toBe("function");
      expect(typeof h.configure).toBe("function");
    }
    expect(typeof loadHandler("echo").check).toBe("function");
    expect(() => loadHandler("no-such-kind")).toThrow(/unknown provider kind "no-such-kind".*provider\/resources\/index\.ts: user, group, workspace, workspace-grant, role/);
    expect(() => loadHandler("../user")).toThrow(/invalid provider kind/);
  });

  it("declares each kind's outputs once: the computed ones are what the handler strips", () => {
    expect(Object.fromEntries(Object.entries(KINDS).map(([k, d]) => [k, d.outputs.computed]))).toEqual({
      user: ["userId", "etag", "roleKeys"],
      group: ["entityId", "etag"],
      workspace: ["entityId", "etag"],
      "workspace-grant": ["grantId", "etag"],
      role: ["roleId", "etag"],
    });
    expect(KINDS.group.outputs.strip({ __provider: "x", name: "Sales", entityId: "g1", etag: "3" })).toEqual({ name: "Sales" });
  });
});

describe("what a backend cannot carry is refused at preview", () => {
  /** A backend for a portal like Xarios (no groups or workspaces API), as far as Check asks it. */
  const CAN: Capabilities = {
    kinds: { user: true, role: true, group: "Xarios has no groups API", workspace: "Xarios has no workspace API", "workspace-grant": "Xarios has no workspace API" },
    unsupportedFields: { user: { groups: "Xarios has no groups API", primaryGroup: "Xarios has no groups API" } },
  };
  const xariosLike = { name: "xarios-like", capabilities: async () => CAN } as Pick<Backend, "name" | "capabilities"> as Backend;
  const settings = { endpoint: "http://127.0.0.1:1", token: "t", licenceWaitMs: 0 };

  it("a kind it has no API for: Check fails, naming the backend and why, before the kind's own Check", async () => {
    resetSession(settings, xariosLike);
    const r = await handlerFor("group").check({}, { name: "Sales" });
    expect(r.failures).toEqual([{ property: "", reason: expect.stringMatching(/^the xarios-like backend cannot carry a group: Xarios has no groups API; remove the resource, or choose a backend that carries it \(analytics-access:backend\)/) }]);
    expect(r.inputs).toBeUndefined();
  });

  it("a declared field it has no API for: Check fails on that field", async () => {
    resetSession(settings, xariosLike);
    const r = await handlerFor("user").check({}, { extension: "201", tier: "reports", groups: ["Sales"], primaryGroup: "Sales", __provider: "stub" });
    expect(r.failures).toEqual([
      { property: "groups", reason: expect.stringMatching(/^the xarios-like backend cannot carry a user's groups: Xarios has no groups API; leave groups out/) },
      { property: "primaryGroup", reason: expect.stringMatching(/^the xarios-like backend cannot carry a user's primaryGroup/) },
    ]);
  });

  it("an empty list declares nothing to carry; outputs are not declarations", async () => {
    expect(await capabilityFailures(xariosLike, "user", { extension: "201", groups: [], permissions: {} })).toEqual([]);
    expect(await capabilityFailures(xariosLike, "role", { name: "Viewers" })).toEqual([]);
  });

  it("the embedded backend carries every kind and field", async () => {
    expect(await new EmbeddedBackend(settings).capabilities()).toEqual({ kinds: Object.fromEntries(Object.keys(KINDS).map((k) => [k, true])) });
  });
});

/**
 * The engine model behaves as Pulumi's engine does (test/support/engine/deployment.ts cites the
 * engine's source for each point): call order, the write pool, cancellation, unknowns at preview,
 * ignoreChanges before Check, refresh as Read then Diff, configuration in Configure and in state,
 * the journal of a killed run, the program's working directory and TypeScript. The `echo` kind
 * has no remote side, so only the engine is under test here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PROVIDER_TYPE, Stack, UNKNOWN, defaultParallel, type CallRecord } from "../support/engine";
import { declaredProject, makeProject, type Declared } from "../support/projects";

const TOKEN = "tok_model_9c1e44d07a";
const echo = (name: string, value: string, extra: Record<string, unknown> = {}, opts?: Declared["opts"]): Declared => ({ kind: "Echo", name, args: { key: name, value, ...extra }, ...(opts ? { opts } : {}) });
const stackFor = (dir: string, more: { config?: Record<string, string>; secrets?: Record<string, string> } = {}) =>
  new Stack({ dir, stack: "dev", config: { "analytics-access:endpoint": "http://echo.invalid", ...more.config }, secrets: more.secrets ?? { "analytics-access:token": TOKEN } });
const only = (calls: CallRecord[], ...methods: CallRecord["method"][]) => calls.filter((c) => methods.includes(c.method));
const name = (urn: string) => urn.split("::").pop();
/** Most calls of `methods` in flight at once. */
function maxConcurrent(calls: CallRecord[]): number {
  const edges = calls.flatMap((c) => [[c.start, 1], [c.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

describe("order: one registration at a time, writes in a pool", () => {
  it("never overlaps two Checks or Diffs, runs at most --parallel writes, and lets Checks wait for a free worker", async () => {
    const resources = Array.from({ length: 10 }, (_, i) => echo(`r${i}`, "v", { delayMs: 400 }));
    const p = declaredProject({ resources });
    const stack = stackFor(p.dir);
    const up = await stack.up({ parallel: 3 });
    expect(up.ok, up.text()).toBe(true);
    const checks = only(up.calls, "check", "diff");
    expect(checks.map((c) => name(c.urn))).toEqual(resources.map((r) => r.name)); // registration order
    expect(maxConcurrent(checks)).toBe(1);
    const creates = only(up.calls, "create");
    expect(maxConcurrent(creates)).toBe(3);
    // With three writes in flight, the 4th resource is checked, then handing its chain over blocks
    // the generator (ExecuteSerial): the 5th Check waits until one of the first writes is done.
    const firstDone = Math.min(...creates.slice(0, 3).map((c) => c.end));
    expect(checks[3].start).toBeLessThan(firstDone);
    expect(checks[4].start).toBeGreaterThanOrEqual(firstDone);
    // Checks of later resources run while earlier writes are in flight.
    expect(checks[1].start).toBeLessThan(creates[0].end);
  });

  it("defaults --parallel to 4 × CPUs, PULUMI_PARALLEL overriding it", () => {
    expect(defaultParallel({})).toBe(4 * require("node:os").availableParallelism());
    expect(defaultParallel({ PULUMI_PARALLEL: "7" })).toBe(7);
  });
});

describe("failures", () => {
  // The SDK sends a registration once its inputs are serialized, so resources of the same shape
  // register in program order; a property more or less can reorder independent ones.
  const resources = [echo("a", "1", { fail: "no" }), echo("b", "1", { fail: "create" }), echo("c", "1", { fail: "no" }), echo("d", "1", { fail: "no" }, { dependsOn: ["b"] }), echo("e", "1", { fail: "no" })];

  it("cancel the run at the first failed step: nothing new starts", async () => {
    const p = declaredProject({ resources });
    const stack = stackFor(p.dir);
    const up = await stack.up({ parallel: 1 });
    expect(up.ok).toBe(false);
    expect(up.text()).toContain("create of b failed as requested");
    const failedAt = only(up.calls, "create").find((c) => name(c.urn) === "b")!.end;
    expect(up.calls.filter((c) => c.start > failedAt)).toEqual([]);
    expect(only(up.calls, "create").map((c) => name(c.urn))).toEqual(["a", "b"]);
    expect(stack.resources().map((r) => name(r.urn))).toEqual(["a"]);
    expect(stack.state().pendingOperations).toEqual([]); // a failed step leaves no pending operation
  });

  it("with --continue-on-error, carry on with what does not depend on the failure", async () => {
    const p = declaredProject({ resources });
    const stack = stackFor(p.dir);
    const up = await stack.up({ parallel: 1, continueOnError: true });
    expect(up.ok).toBe(false);
    expect(stack.resources().map((r) => name(r.urn)).sort()).toEqual(["a", "c", "e"]);
    // b's registration is answered FAIL, so the SDK rejects d's dependency and never registers d.
    expect(only(up.calls, "check", "create").filter((c) => name(c.urn) === "d")).toEqual([]);
    expect(up.text()).toMatch(/resource b \[pulumi-nodejs:dynamic\/analytics-access:Echo\] failed to register/);
  });

  it("stop the preview at the first resource that fails Check, with the property and reason", async () => {
    const p = declaredProject({ resources: [echo("a", "1", { fail: "no" }), echo("b", "1", { fail: "check" }), echo("c", "", { fail: "no" })] });
    const preview = await stackFor(p.dir).preview();
    expect(preview.ok).toBe(false);
    expect(preview.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/resource 'b': property fail value "check" has a problem: check failure requested/));
    expect(preview.text()).not.toContain("resource 'c'");
    expect(preview.text()).not.toContain(TOKEN);
  });
});

describe("preview", () => {
  it("sends unknowns for outputs not known yet, and hands back checked inputs as a new resource's outputs", async () => {
    const p = declaredProject({
      resources: [
        echo("a", "1"),
        // revision is an output only the provider knows: unknown at preview; key is a checked input: known.
        { kind: "Echo", name: "b", args: { key: "b", value: { $after: "a.revision", value: "after-a" }, note: { $ref: "a.key" } } },
      ],
    });
    const stack = stackFor(p.dir);
    const preview = await stack.preview();
    expect(preview.ok, preview.text()).toBe(true);
    const checkB = only(preview.calls, "check").find((c) => name(c.urn) === "b")!;
    expect(checkB.news).toMatchObject({ value: UNKNOWN, note: "a" });
    expect(only(preview.calls, "create", "update", "delete")).toEqual([]);
    const up = await stack.up();
    expect(only(up.calls, "check").find((c) => name(c.urn) === "b")!.news).toMatchObject({ value: "after-a", note: "a" });
  });
});

describe("existing resources", () => {
  it("applies ignoreChanges before Check and Diff, and sends the old inputs as Check's olds", async () => {
    const p = declaredProject({ resources: [echo("a", "1")] });
    const stack = stackFor(p.dir);
    expect((await stack.up()).ok).toBe(true);
    p.declare({ resources: [echo("a", "2", {}, { ignoreChanges: ["value"] })] });
    const up = await stack.up();
    expect(only(up.calls, "check")[0].news).toMatchObject({ value: "1" });
    expect(up.steps.find((s) => name(s.urn) === "a")?.op).toBe("same");
    p.declare({ resources: [echo("a", "2")] });
    const changed = await stack.up();
    expect(changed.steps.find((s) => name(s.urn) === "a")?.op).toBe("update");
    expect(stack.resources()[0].outputs).toMatchObject({ value: "2", revision: 2 });
  });

  it("replaces on the provider's replace keys; replaceOnChanges needs changed keys, which a provider that decides by itself does not give", async () => {
    const p = declaredProject({ resources: [echo("a", "1")] });
    const stack = stackFor(p.dir);
    await stack.up();
    p.declare({ resources: [echo("a", "2", {}, { replaceOnChanges: ["value"] })] });
    const up = await stack.up();
    const step = up.steps.find((s) => name(s.urn) === "a")!;
    expect(step.op).toBe("update"); // echo answers DIFF_SOME without keys: the engine cannot match replaceOnChanges
    expect(step.diff).toMatchObject({ decidedBy: "provider", changedKeys: [] });
    p.declare({ resources: [{ ...echo("a", "2"), args: { key: "a2", value: "2" } }] });
    const replaced = await stack.up();
    expect(replaced.steps.filter((s) => name(s.urn) === "a").map((s) => s.op)).toEqual(["create-replacement", "replace", "delete-replaced"]);
  });

  it("refreshes with Read, then Diff of the refreshed state against the stored inputs", async () => {
    const p = declaredProject({ resources: [echo("a", "1"), echo("b", "1")] });
    const stack = stackFor(p.dir);
    await stack.up();
    const refresh = await stack.refresh();
    expect(refresh.ok, refresh.text()).toBe(true);
    const seq = refresh.calls.filter((c) => c.method !== "configure").map((c) => `${c.method} ${name(c.urn)}`);
    expect(seq.filter((s) => s.endsWith(" a"))).toEqual(["read a", "diff a"]);
    expect(refresh.steps.map((s) => s.op)).toEqual(["refresh", "refresh"]);
    expect(refresh.steps.every((s) => s.drift?.changes === "none")).toBe(true);
  });

  it("deletes what the program no longer declares, after the program, dependents first", async () => {
    const p = declaredProject({ resources: [echo("a", "1"), echo("b", "1", {}, { dependsOn: ["a"] }), echo("c", "1")] });
    const stack = stackFor(p.dir);
    await stack.up();
    p.declare({ resources: [echo("c", "1")] });
    const up = await stack.up();
    expect(up.steps.filter((s) => s.op === "delete").map((s) => name(s.urn))).toEqual(["b", "a"]);
    expect(stack.resources().map((r) => name(r.urn))).toEqual(["c"]);
  });
});

describe("configuration", () => {
  it("reaches Configure whole and namespaced, and is recorded in state: secrets encrypted, the rest in plain text", async () => {
    const p = declaredProject({ resources: [echo("a", "1")] });
    const secretStack = stackFor(p.dir);
    const up = await secretStack.up();
    expect(secretStack.resources()[0].outputs).toMatchObject({ authenticated: true, endpoint: "http://echo.invalid" });
    const provider = secretStack.state().resources.find((r) => r.type === DEFAULT_PROVIDER_TYPE)!;
    expect(Object.keys(provider.inputs).sort()).toEqual(["analytics-access:endpoint", "analytics-access:token"]);
    expect(secretStack.stateFile.text()).not.toContain(TOKEN);
    expect(up.text()).not.toContain(TOKEN);

    const plain = stackFor(p.dir, { config: { "analytics-access:token": TOKEN }, secrets: {} });
    await plain.up();
    expect(plain.stateFile.text()).toContain(TOKEN); // what Pulumi does: hence the warning the provider gives
  });
});

describe("a killed CLI", () => {
  it("leaves the journal as written: done resources, and the create in flight pending; the next up warns and creates again", async () => {
    const p = declaredProject({ resources: [echo("a", "1"), echo("b", "1", { delayMs: 3000 }, { dependsOn: ["a"] })] });
    const stack = stackFor(p.dir);
    let timer: NodeJS.Timeout | undefined;
    const killed = await stack.up({
      onEvent: (e, control) => {
        if (e.kind === "call" && e.phase === "start" && e.method === "create" && e.urn.endsWith("::b")) timer = setTimeout(() => control.kill(), 300);
      },
    });
    clearTimeout(timer);
    expect(killed.killed).toBe(true);
    const state = stack.state();
    expect(stack.resources().map((r) => name(r.urn))).toEqual(["a"]);
    expect(state.pendingOperations.map((o) => `${o.type} ${name(o.resource.urn)}`)).toEqual(["creating b"]);

    p.declare({ resources: [echo("a", "1"), echo("b", "1", {}, { dependsOn: ["a"] })] });
    const next = await stack.up();
    expect(next.ok, next.text()).toBe(true);
    expect(next.diagnostics.find((d) => d.severity === "warning")?.message).toMatch(/1 pending operations from previous deployment[\s\S]*creating/);
    expect(only(next.calls, "create").map((c) => name(c.urn))).toEqual(["b"]);
    expect(stack.state().pendingOperations.map((o) => o.type)).toEqual(["creating"]); // kept until a refresh clears it
    await stack.refresh({ clearPendingCreates: true });
    expect(stack.state().pendingOperations).toEqual([]);
  });
});

describe("the program", () => {
  const program = (cwdFile: string) => `
    "use strict";
    const pulumi = require("@pulumi/pulumi");
    module.exports = { cwd: process.cwd(), file: require("node:fs").existsSync(${JSON.stringify(cwdFile)}) };`;

  it("runs in the folder of Pulumi.yaml's main", async () => {
    const dir = makeProject({ options: { typescript: false }, main: "app/main.js", files: { "app/main.js": program("here.txt"), "app/here.txt": "x" } });
    const up = await new Stack({ dir, stack: "dev" }).up();
    expect(up.ok, up.text()).toBe(true);
    expect(up.outputs).toEqual({ cwd: fs.realpathSync(path.join(dir, "app")), file: true });
  });

  it("is compiled by ts-node and type-checked unless runtime.options.typescript is false", async () => {
    const ts = (body: string) => makeProject({ files: { "index.ts": body, "package.json": JSON.stringify({ name: "ts-prog", main: "index.ts" }) } });
    const ok = await new Stack({ dir: ts("const n: number = 1;\nexport const doubled = n * 2;\n"), stack: "dev" }).up();
    expect(ok.ok, ok.text()).toBe(true);
    expect(ok.outputs).toEqual({ doubled: 2 });
    const bad = await new Stack({ dir: ts('const n: number = "one";\nexport const x = n;\n'), stack: "dev" }).preview();
    expect(bad.ok).toBe(false);
    expect(bad.text()).toMatch(/TS2322/);
  });
});

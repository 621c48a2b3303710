/**
 * The contract every backend passes, through the engine model (test/support/engine): a manifest
 * applied with `Access`, a no-op `up`, drift made in the portal and shown by refresh then put back,
 * `export` by the CLI, the export applied to a second tenant and exported again byte for byte, and
 * a change applied through injected faults with nothing lost or duplicated.
 *
 * A backend's test file describes its portal (`ContractTarget`) and calls `contract(target)`.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, Stack, type RunResult } from "../support/engine";
import { declaredProject } from "../support/projects";
import { dynamicSteps, expectNowhere } from "../support/runs";

/** One tenant of the portal under test, as a stack and the CLI reach it. */
export interface ContractTenant {
  /** Stack configuration, full `ns:key` names (endpoint, backend, backend keys). */
  config: Record<string, string>;
  /** Configuration set with --secret (the token, refresh tokens…). */
  secrets: Record<string, string>;
  /** The environment `analytics-access export` runs with (ANALYTICS_ACCESS_BACKEND, _ENDPOINT, _TOKEN, …). */
  env: Record<string, string>;
  /** Values that must never appear in output or state. */
  sensitive: string[];
}

export interface ContractTarget {
  /** The backend's name, as `analytics-access:backend` selects it. */
  backend: string;
  /** The portal with two tenants of the same profile and phone directory: A to apply to, B empty. */
  start(): Promise<{ a: ContractTenant; b: ContractTenant; close(): Promise<void> }>;
  /** What to apply to A (a manifest in `Access`'s terms). */
  manifest: Record<string, unknown>;
  /** The manifest with changes that add and modify only (no removal), applied through faults. */
  changed: Record<string, unknown>;
  /** A change made by hand in the portal to A, to something the manifest declares. */
  drift(): Promise<void>;
  /** Faults on the portal's API (429 storms, 5xx, dropped connections), or none. */
  faults(on: boolean): void;
  /** Writes the portal received since the last call (for "no write on a no-op"). */
  writes(): number;
}

/** `analytics-access export` of the tenant, run as a user runs it (asynchronously: the portal may live in this process). */
async function exportText(t: ContractTenant, dir: string, name: string): Promise<string> {
  const out = path.join(dir, `${name}.yaml`);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist/cli/index.js"), "export", "--out", out], { env: { ...process.env, ...t.env }, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr.on("data", (d: Buffer) => (text += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code, text).toBe(0);
  for (const s of t.sensitive) expect(text).not.toContain(s);
  return fs.readFileSync(out, "utf8");
}

export function contract(target: ContractTarget): void {
  describe(`the backend contract: ${target.backend}`, () => {
    let a: ContractTenant;
    let b: ContractTenant;
    let close: () => Promise<void>;
    let project: ReturnType<typeof declaredProject>;
    let stackA: Stack;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-contract-"));
    const stackFor = (t: ContractTenant, p = project) => new Stack({ dir: p.dir, stack: "contract", config: { ...t.config, "analytics-access:backend": target.backend }, secrets: t.secrets });
    const ok = (r: RunResult, t: ContractTenant, s: Stack) => {
      expect(r.ok, r.text()).toBe(true);
      expectNowhere(r, s, ...t.sensitive);
    };

    beforeAll(async () => {
      ({ a, b, close } = await target.start());
      project = declaredProject({ access: { inline: target.manifest } });
      stackA = stackFor(a);
    }, 120_000);
    afterAll(async () => {
      await close?.();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("applies a manifest: preview plans it and writes nothing, up applies it", async () => {
      const before = target.writes();
      const preview = await stackA.preview();
      ok(preview, a, stackA);
      expect(target.writes() - before).toBe(0);
      expect(dynamicSteps(preview).length).toBeGreaterThan(0);
      const up = await stackA.up();
      ok(up, a, stackA);
      expect(dynamicSteps(up).every((s) => s.op === "create")).toBe(true);
    });

    it("a second up changes nothing and writes nothing", async () => {
      target.writes();
      const up = await stackA.up();
      ok(up, a, stackA);
      expect(dynamicSteps(up).filter((s) => s.op !== "same")).toEqual([]);
      expect(target.writes()).toBe(0);
    });

    it("shows drift made in the portal on refresh, and the next up puts the manifest back", async () => {
      await target.drift();
      const refresh = await stackA.refresh();
      ok(refresh, a, stackA);
      expect(dynamicSteps(refresh).filter((s) => s.drift?.changes === "some").length).toBeGreaterThan(0);
      const up = await stackA.up();
      ok(up, a, stackA);
      expect(dynamicSteps(up).filter((s) => s.op === "update").length).toBeGreaterThan(0);
      const again = await stackA.refresh();
      expect(dynamicSteps(again).filter((s) => s.drift?.changes === "some")).toEqual([]);
    });

    let stackB: Stack;
    it("exports the tenant; the export applied to a second tenant exports to the same bytes", async () => {
      const textA = await exportText(a, dir, "a");
      expect(await exportText(a, dir, "a-again")).toBe(textA); // deterministic
      const replay = declaredProject({ access: { manifest: path.join(dir, "a.yaml") } });
      stackB = stackFor(b, replay);
      const up = await stackB.up();
      ok(up, b, stackB);
      expect(await exportText(b, dir, "b")).toBe(textA);
    });

    it("applies a change through faults: nothing lost, nothing duplicated (the same tenant as the change applied without faults)", async () => {
      project.declare({ access: { inline: target.changed } });
      target.faults(true);
      let up: RunResult;
      try {
        up = await stackA.up();
      } finally {
        target.faults(false);
      }
      ok(up, a, stackA);
      const after = await stackA.up();
      ok(after, a, stackA);
      expect(dynamicSteps(after).filter((s) => s.op !== "same")).toEqual([]);
      // Tenant B, holding A's export, gets the same change without faults (a stack of its own:
      // the change only adds and modifies, so adoption makes it the same tenant): both export the same.
      const clean = stackFor(b, declaredProject({ access: { inline: target.changed } }));
      ok(await clean.up(), b, clean);
      expect(await exportText(a, dir, "a-after-faults")).toBe(await exportText(b, dir, "b-without-faults"));
    });
  });
}

// `validate` under malformed manifests (issue 12): generated with fast-check (fixed seed), each must be
// answered within a bound, without a crash, with problems at file:line:column (or valid), the output
// bounded by LIMITS.problems.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { command } from "../../cli/validate";
import { LIMITS } from "../../manifest";
import { badManifest, SEED } from "./generators";

const dir = mkdtempSync(join(tmpdir(), "aa-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export async function validateText(text: string, file = join(dir, "m.yaml")): Promise<{ code: number; out: string; err: string; ms: number }> {
  writeFileSync(file, text);
  let out = "";
  let err = "";
  const t = performance.now();
  const code = await command.run([file], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err, ms: performance.now() - t };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("fuzz: validate answers every malformed manifest with positions", () => {
  it("200 generated malformed manifests: no crash, no hang, every problem at file:line:column, output bounded", async () => {
    const file = join(dir, "m.yaml");
    const line = new RegExp(`^${escape(file)}:\\d+:\\d+ (error|warning) [A-Z][A-Z0-9-]*( .+)?: .+`);
    let slowest = 0;
    await fc.assert(fc.asyncProperty(badManifest, async (text) => {
      const r = await validateText(text, file);
      slowest = Math.max(slowest, r.ms);
      expect(r.err, r.err).toBe("");
      expect([0, 1]).toContain(r.code);
      const lines = r.out.trimEnd().split("\n");
      expect(lines.length).toBeLessThanOrEqual(LIMITS.problems + 2);
      const summary = lines.pop()!;
      expect(summary.startsWith(`${file}: `), summary).toBe(true);
      for (const l of lines) if (!l.startsWith(`${file}: and `)) expect(l, text.slice(0, 200)).toMatch(line);
      if (r.code === 1) expect(lines.length).toBeGreaterThan(0);
      expect(r.ms, `took ${Math.round(r.ms)} ms: ${text.slice(0, 100)}`).toBeLessThan(5_000);
    }), { seed: SEED, numRuns: 200, endOnFailure: true });
    expect(slowest).toBeLessThan(5_000);
  }, 60_000);

  it("each limit is reported at its place, with what to do", async () => {
    const key = await validateText(`version: 1\nprofile: dimensions\nusers:\n  - email: a@b.c\n    ${"k".repeat(1100)}: 1\n`);
    expect(key.out).toMatch(/m\.yaml:5:5 error LIMIT: a key of 1,100 characters, over the limit of 1,024\. Fix: shorten/);
    const deep = await validateText(`version: 1\nprofile: dimensions\nusers: ${"[".repeat(300_000)}`);
    expect(deep.out).toMatch(/m\.yaml:3:\d+ error LIMIT: nesting deeper than 64 levels\. Fix: flatten/);
    const laughs = await validateText(`version: 1\nprofile: dimensions\na: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nusers: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`);
    expect(laughs.out).toMatch(/m\.yaml:4:8 error LIMIT: aliases expand the document by more than 100,000 nodes\. Fix:/);
    const braces = await validateText("}".repeat(300_000));
    expect(braces.out).toMatch(/m\.yaml:1:1 error YAML: /);
    expect(braces.ms).toBeLessThan(3_000);
  });

  it("many problems: the first 1,000 by position, then how many more; unknown keys placed in linear time", async () => {
    const n = 50_000;
    const r = await validateText(`version: 1\nprofile: dimensions\nusers:\n  - email: a@b.c\n${Array.from({ length: n }, (_, i) => `    k${i}: 1\n`).join("")}`);
    const lines = r.out.trimEnd().split("\n");
    expect(lines).toHaveLength(LIMITS.problems + 2);
    expect(lines[LIMITS.problems]).toMatch(new RegExp(`: and ${n + 1 - LIMITS.problems} more problems not listed`));
    expect(lines[LIMITS.problems + 1]).toMatch(new RegExp(`: ${n + 1} errors$`));
    expect(r.ms).toBeLessThan(10_000);
  }, 30_000);
});

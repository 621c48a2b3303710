// The runner of a rule family's case table (schema/rules/<family>.test.ts): for every rule of the
// family, manifests that break it (with the path, message and fix the user sees) and manifests at
// the boundary that pass. A rule added to a family without cases fails both the type check (the
// table is a record over the family's rule ids) and the table's first test; a family added to the
// catalogue without a case table fails schema/rules/catalogue.test.ts.
import { describe, expect, it } from "vitest";
import { type Manifest, type PathSegment, RULES, type RuleFamily, type RuleId, type TenantFacts, validateManifest } from "../../schema";

export interface Case {
  name: string;
  manifest: Manifest;
  tenant?: TenantFacts;
}
export interface Expected {
  path: PathSegment[];
  /** Key words of the message (what is wrong) … */
  message: RegExp;
  /** … and of the fix (what to do). */
  fix: RegExp;
  resource?: string;
}
export interface Break extends Case {
  /** Every violation of the rule the case yields, in order. */
  expect: Expected[];
}
export interface RuleCases {
  breaks: Break[];
  /** Boundary cases: the whole manifest is clean, and the rule was judged (not unchecked). */
  passes: Case[];
}

/** The family's case table, one entry per rule id of the family, judged through validateManifest. */
export function describeRuleCases<F extends RuleFamily>(family: F, cases: { readonly [K in keyof F["rules"]]: RuleCases }): void {
  const table = cases as unknown as Record<RuleId, RuleCases>;
  const ids = Object.keys(family.rules) as RuleId[];

  describe(`the ${family.name} family's case table`, () => {
    it("covers every rule of the family, and nothing else", () => {
      expect(Object.keys(table).sort()).toEqual([...ids].sort());
    });
    it.each(ids)("%s has a case that breaks it and a boundary case that passes", (id) => {
      expect(table[id].breaks.length).toBeGreaterThan(0);
      expect(table[id].passes.length).toBeGreaterThan(0);
    });
  });

  const breaks = ids.flatMap((id) => table[id].breaks.map((c) => [id, c.name, c] as const));
  const passes = ids.flatMap((id) => table[id].passes.map((c) => [id, c.name, c] as const));

  describe("each rule rejects", () => {
    it.each(breaks)("%s: %s", (id, _name, c) => {
      const { violations, unchecked } = validateManifest(c.manifest, c.tenant);
      const hits = violations.filter((v) => v.rule === id);
      expect(hits.map((h) => h.path)).toEqual(c.expect.map((e) => e.path));
      hits.forEach((h, i) => {
        const e = c.expect[i];
        expect(h.message).toMatch(e.message);
        expect(h.fix).toMatch(e.fix);
        if (e.resource) expect(h.resource).toBe(e.resource);
        expect(h.severity).toBe(RULES[id].severity);
        expect(h.source).toBe(RULES[id].source);
      });
      expect(unchecked).not.toContain(id);
    });
  });

  describe("each rule passes at its boundary", () => {
    it.each(passes)("%s: %s", (id, _name, c) => {
      const { violations, unchecked } = validateManifest(c.manifest, c.tenant);
      expect(violations).toEqual([]);
      expect(unchecked).not.toContain(id);
    });
  });
}

// The catalogue is assembled from the rule families, and every family has its case table beside
// it (<family>.test.ts, run by test/support/rule-cases.ts): together they are the one case table
// keyed by rule id, with for every rule a manifest that breaks it and one at its boundary that passes.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILIES, RULE_IDS, RULES } from "./catalogue";

describe("the rule catalogue", () => {
  it("is every family's rules, each id in exactly one family", () => {
    const ids = FAMILIES.flatMap((f) => Object.keys(f.rules));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...RULE_IDS].sort()).toEqual([...ids].sort());
    for (const f of FAMILIES) for (const [id, info] of Object.entries(f.rules)) expect(RULES[id as keyof typeof RULES]).toBe(info);
  });

  it.each(FAMILIES.map((f) => [f.name]))("the %s family is its own module, with its case table beside it", (name) => {
    expect(existsSync(join(__dirname, `${name}.ts`))).toBe(true);
    const cases = join(__dirname, `${name}.test.ts`);
    expect(existsSync(cases), `${name}.test.ts is missing: give each rule a case that breaks it and one that passes`).toBe(true);
    expect(readFileSync(cases, "utf8")).toContain(`describeRuleCases(${name}, {`);
  });
});

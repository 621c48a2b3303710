// The platform's error codes against the project's rule catalogue: a code that is a rule id means what
// that rule means (codes.ts flags it `rule`), every other code is a word that cannot be mistaken for a
// rule id; every code in codes.ts is one the platform emits; platform/README.md's table is codes.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CODES } from "../../platform/codes";
import { RULES } from "../../schema/rules/catalogue";

const PLATFORM = join(__dirname, "../../platform");
const RULE_SHAPE = /^[A-Z][A-Z0-9]*-\d{1,2}$/;
const entries = Object.entries(CODES) as [string, { status: readonly number[]; meaning: string; rule?: true }][];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => d.isDirectory() ? sources(join(dir, d.name))
    : d.name.endsWith(".ts") && !d.name.endsWith(".test.ts") && d.name !== "codes.ts" ? [readFileSync(join(dir, d.name), "utf8")] : []);
}

describe("platform error codes", () => {
  it("a rule id is used only with the rule's meaning (flagged `rule`); every other code is a word, not a rule id's shape", () => {
    const ruleIds = new Set(Object.keys(RULES));
    for (const [code, info] of entries) {
      if (info.rule) expect(ruleIds.has(code), `${code} is flagged rule but is not in the catalogue`).toBe(true);
      else {
        expect(ruleIds.has(code), `${code} is a rule id with another meaning`).toBe(false);
        expect(code, `${code} looks like a rule id`).not.toMatch(RULE_SHAPE);
      }
    }
    // the renamed ones: rule AUTH-1 is a credential without Manage Users, rule ROLE-1 an undeclared role
    for (const old of ["AUTH-1", "AUTH-2", "ROLE-1", "ROLE-2", "ROLE-3", "ROLE-4", "GRP-2", "KEY-1", "TIER-1"]) expect(Object.keys(CODES)).not.toContain(old);
  });

  it("every listed code is one the platform emits", () => {
    const text = sources(PLATFORM).join("\n");
    for (const [code] of entries) {
      const literal = code === "PERM-<permission key>" ? "`PERM-${" : `"${code}"`;
      expect(text.includes(literal), `${code} is listed in codes.ts but never used`).toBe(true);
    }
  });

  it("platform/README.md's error table is codes.ts: every code, its statuses, its meaning, whether it is a rule", () => {
    const readme = readFileSync(join(PLATFORM, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("| code | status | refused | rule |"));
    const rows = table.split("\n").slice(2).filter((l) => l.startsWith("| `"))
      .map((l) => l.split(" | ").map((c) => c.replace(/^\| ?| ?\|$/g, "").trim()));
    const byCode = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(rows.map(([code, status, meaning, rule]) => [code.replace(/`/g, ""), status, meaning, rule === "rule"]).sort(byCode))
      .toEqual(entries.map(([code, info]) => [code, info.status.join(", "), info.meaning, info.rule === true]).sort(byCode));
  });
});

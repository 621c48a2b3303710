// Positions from js-yaml's reading (eventTree over its listener's EventIndex) must be exactly the
// `yaml` package's (yamlTree), for every path in a file, paths that do not exist included.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_SCHEMA, load } from "js-yaml";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parseManifest, parseTenantFacts, readYaml } from "../../manifest";
import { EventIndex, eventTree, LineIndex, type PathSegment, type SourceTree, yamlTree } from "../../manifest/source";

function paths(value: unknown, base: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(base, [...base, "nosuchkey"], [...base, 99]);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...base, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...base, k], out);
  return out;
}

/** Both trees over one text, and whether the event tree had to ask `yaml`. */
function trees(text: string): { value: unknown; fast: SourceTree; slow: SourceTree; fellBack: () => boolean } {
  const index = new EventIndex();
  const value = load(text, { schema: CORE_SCHEMA, listener: index.listener });
  const lines = new LineIndex(text);
  const slow = yamlTree(parseDocument(text, { uniqueKeys: true, strict: true }), lines);
  let fell = false;
  const fast = eventTree(text, value, index, lines, () => { fell = true; return slow; });
  return { value, fast, slow, fellBack: () => fell };
}

const EDGE_CASES: Record<string, string> = {
  "anchors and tags": "a: &x 1\nb: &y\n  c: 1\nd:\n  - &z e: 1\n  - *y\nf: !!str 2\ng: [1, &w 2, *w]\n",
  "empty values": "a:\nb: ~\nc: null\nd:\n  -\n  - \n  - x\ne: # comment\nf: {x: , y: ~}\n",
  "flow and quoting": "{\"a\": [1, {'b': 2}], c: \"d\", 'e f': {g: [h, i]}}\n",
  "comments everywhere": "# head\na: # after key\n  # before value\n  - b # item\n  # between\n  - c: 1 # end\n    d: 2\n",
  "sequence at the key's indent": "a:\n- b: 1\n  c: 2\n- d\ne: 3\n",
  "block scalars": "a: |\n  text\n  more\nb: >-\n  folded\nc: 1\n",
  "odd keys": "1: a\nb: 2\n\"q\\\"x\": 3\n? explicit\n: value\n~: n\n",
  "document marker": "%YAML 1.2\n---\na: 1\nb: [x]\n...\n",
  "flow at the root": "[a, [b], {c: [d]}]\n",
  "one-item lists": "- [a]\n- - b\n- {c: d}\n- [[e]]\n",
};

describe("positions from js-yaml's reading", () => {
  const corpus = join(__dirname, "corpus");
  const files = [
    ...readdirSync(corpus).filter((f) => f.endsWith(".yaml")).map((f) => join(corpus, f)),
    ...readdirSync(join(__dirname, "fixtures")).map((f) => join(__dirname, "fixtures", f)),
  ];
  const cases: [string, string][] = [
    ...files.map((f) => [f.slice(f.lastIndexOf("/") + 1), readFileSync(f, "utf8")] as [string, string]),
    ...Object.entries(EDGE_CASES),
  ];
  for (const [name, text] of cases) {
    it(`are yaml's for every path: ${name}`, () => {
      let t: ReturnType<typeof trees>;
      try { t = trees(text); } catch { return; } // a file js-yaml refuses is read by `yaml` alone
      if (t.value === null || t.value === undefined) return;
      for (const p of paths(t.value)) for (const at of ["key", "value"] as const) {
        expect({ path: p, at, ...t.fast.locate(p, at) }).toEqual({ path: p, at, ...t.slow.locate(p, at) });
      }
    });
  }

  it("reads ordinary manifests without asking `yaml`", () => {
    for (const name of ["32-many-problems.yaml", "35-flow-style-json.yaml", "36-anchors-alias.yaml", "38-quoted-keys-and-comments.yaml", "valid.yaml"]) {
      const t = trees(cases.find(([n]) => n === name)![1]);
      for (const p of paths(t.value)) t.fast.locate(p, "key");
      expect(t.fellBack(), name).toBe(false);
    }
  });

  it("places a problem deep in a large manifest where `yaml` does", () => {
    const lines = ["profile: dimensions", "users:"];
    for (let i = 0; i < 3000; i++) lines.push(`  - email: u${i}@example.com # user ${i}`, "    permissions:", `      ${i === 2345 ? "websiteAcess" : "websiteAccess"}: true`);
    const text = lines.join("\n") + "\n";
    const auto = parseManifest(text, "big.yaml").problems;
    expect(auto.map((p) => [p.line, p.column, p.rule, p.path])).toEqual([[2 + 2345 * 3 + 3, 7, "UNKNOWN-KEY", "users[2345].permissions.websiteAcess"]]);
    expect(auto).toEqual(parseManifest(text, "big.yaml", { reader: "yaml" }).problems);
  });

  it("reads JSON with JSON.parse, and a repeated key or a problem as the YAML readers do", () => {
    const ok = '{\n  "profile": "dimensions",\n  "recordingBuckett": true,\n  "users": [{"email": "a@example.com", "tierr": "reports"}]\n}\n';
    const dup = '{\n  "profile": "dimensions",\n  "profile": "8x8"\n}\n';
    const escaped = '{"profile": "dimensions", "masterAccount": "a\\": b"}';
    for (const text of [ok, dup, escaped]) {
      expect(parseTenantFacts(text, "t.json").problems).toEqual(parseTenantFacts(text, "t.json", { reader: "yaml" }).problems);
      expect(readYaml(text, "t.json").value ?? null).toEqual(readYaml(text, "t.json", { reader: "yaml" }).value ?? null);
    }
    expect(parseTenantFacts(dup, "t.json").problems.map((p) => [p.line, p.column, p.rule])).toEqual([[3, 3, "YAML"]]);
    expect(parseTenantFacts(ok, "t.json").problems.map((p) => [p.line, p.column, p.path])).toEqual([[3, 3, "recordingBuckett"], [4, 40, "users[0].tierr"]]);
  });
});

// Manifest text → manifest and every problem in it, each at file:line:column with its YAML path.
import { parseDocument } from "yaml";
import type { z } from "zod";
import { Manifest, type RuleId, TenantFacts, validateManifest } from "../schema";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { reportIssue } from "./issues";
import { EventIndex, eventTree, LineIndex, type PathSegment, type SourceTree, yamlTree } from "./source";

/** One problem in a manifest or facts file, compiler-style. */
export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** YAML path, e.g. `users[3].permissions.websiteAcess`; empty for the whole document. */
  path: string;
  /** A rule id from the catalogue (WEB-2 …), or YAML (syntax), SCHEMA (shape, type, value), UNKNOWN-KEY, TENANT. */
  rule: string;
  severity: "error" | "warning";
  message: string;
  fix?: string;
}

/** Compiler-style: `file:line:col severity RULE path: message. Fix: …`. */
export function formatProblem(p: Problem): string {
  const message = p.message.replace(/[.\s]+$/, "");
  const fix = p.fix ? `${/[?!]$/.test(message) ? "" : "."} Fix: ${p.fix.replace(/[.\s]+$/, "")}` : "";
  return `${p.file}:${p.line}:${p.column} ${p.severity} ${p.rule}${p.path ? ` ${p.path}` : ""}: ${message}${fix}`;
}

/** `users[3].permissions.websiteAcess`; keys that are not identifiers are quoted: `a["b c"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export interface ParsedYaml {
  value?: unknown;
  tree?: SourceTree;
  problems: Problem[];
  /** Which reader read the value: js-yaml (fast) or `yaml` (positions, syntax errors). */
  reader?: "js-yaml" | "yaml";
}

export interface ReadOptions {
  /** Force a reader: "yaml" skips the fast js-yaml read (tests compare both); "js-yaml" skips the JSON fast path. */
  reader?: "auto" | "js-yaml" | "yaml";
}

/**
 * The `yaml` package's reading: exact positions and syntax errors, but about 14× slower than
 * js-yaml on large files (10 s and 1.4 GB for 100,000 users; its CST alone 7 s, its lexer alone
 * 1.8 s, js-yaml 0.75 s), so it runs only for what js-yaml refuses (syntax errors, duplicate keys,
 * which it decides and places), or for a path js-yaml's positions cannot vouch for (eventTree).
 */
function readWithPositions(text: string, file: string): ParsedYaml {
  const lines = new LineIndex(text);
  // `yaml` reads process.env.LOG_TOKENS once per token, which costs more than the rest of its lexer:
  // give it a plain object while it parses.
  const env = process.env;
  let doc: ReturnType<typeof parseDocument>;
  try {
    process.env = { ...env };
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  } finally {
    process.env = env;
  }
  const problems: Problem[] = [];
  for (const [severity, list] of [["error", doc.errors], ["warning", doc.warnings]] as const) {
    for (const e of list) {
      const { line, column } = lines.position(e.pos[0]);
      problems.push({ file, line, column, path: "", rule: "YAML", severity, message: `${e.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, "")} (${e.code})` });
    }
  }
  if (problems.some((p) => p.severity === "error")) return { problems: sortProblems(problems), reader: "yaml" };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const { line, column } = lines.position(0);
    return { problems: [{ file, line, column, path: "", rule: "YAML", severity: "error", message: (e as Error).message }], reader: "yaml" };
  }
  return { value, tree: yamlTree(doc, lines), problems, reader: "yaml" };
}

/**
 * YAML text → JS value and source positions, or YAML syntax problems, in one read: js-yaml reads
 * the value (YAML 1.2 core schema, like `yaml`'s default) and, through its listener, where each
 * node starts (EventIndex: 8 bytes a node, no measurable cost), from which any problem is placed
 * exactly where `yaml` would place it. Anything js-yaml refuses (syntax errors, duplicate keys)
 * goes to `yaml`, which decides and places it. JSON (tenant facts) is read with JSON.parse.
 */
export function readYaml(text: string, file: string, opts: ReadOptions = {}): ParsedYaml {
  if (opts.reader === "yaml") return readWithPositions(text, file);
  const json = opts.reader === "js-yaml" ? undefined : readJson(text);
  if (json) {
    // Positions only if something is to be placed: then js-yaml reads the text again, recording them.
    let positioned: SourceTree | undefined;
    const tree: SourceTree = { locate: (path, at) => (positioned ??= readYaml(text, file, { reader: "js-yaml" }).tree!).locate(path, at) };
    return { value: json.value, tree, problems: [], reader: "js-yaml" };
  }
  let value: unknown;
  const index = new EventIndex();
  try {
    value = loadYaml(text, { schema: CORE_SCHEMA, filename: file, listener: index.listener });
  } catch {
    return readWithPositions(text, file);
  }
  // Positions come from what js-yaml recorded while reading; `yaml` reads the file again only
  // for a path the index cannot vouch for (see eventTree).
  const tree = eventTree(text, value, index, new LineIndex(text), () => readWithPositions(text, file).tree!);
  return { value: value === undefined ? null : value, tree, problems: [], reader: "js-yaml" };
}

/**
 * A JSON document (tenant facts are usually JSON) read with JSON.parse, several times faster than
 * js-yaml and giving the same value, unless a key may be repeated: JSON.parse keeps the last where
 * YAML refuses the file. Every key in the value is one `"…":` in the text; if the text has more,
 * a key may be repeated (or a string holds `":`), and js-yaml reads it instead.
 */
function readJson(text: string): { value: unknown } | undefined {
  const first = text.search(/\S/);
  if (first === -1 || (text[first] !== "{" && text[first] !== "[")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let keys = 0;
  const count = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) count(x);
    else if (v !== null && typeof v === "object") for (const k in v) { keys++; count((v as Record<string, unknown>)[k]); }
  };
  count(value);
  let tokens = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) {
    let j = i + 1;
    while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13) j++;
    if (text.charCodeAt(j) === 58 /* : */) tokens++;
  }
  return tokens === keys ? { value } : undefined;
}

/** Validates a read value against a zod schema, placing every issue in the file. */
export function checkShape<S extends z.ZodType>(schema: S, read: ParsedYaml, file: string): { value?: z.infer<S>; problems: Problem[] } {
  if (read.value === undefined || !read.tree) return { problems: read.problems };
  const tree = read.tree;
  if (read.value === null) {
    return { problems: [...read.problems, { file, line: 1, column: 1, path: "", rule: "SCHEMA", severity: "error", message: "the file is empty: expected a mapping" }] };
  }
  const r = schema.safeParse(read.value, { reportInput: true });
  if (r.success) return { value: r.data, problems: read.problems };
  const problems = [...read.problems];
  for (const issue of r.error.issues) {
    for (const rep of reportIssue(issue, schema)) {
      const { line, column } = tree.locate(rep.path, rep.at);
      problems.push({ file, line, column, path: formatPath(rep.path), rule: rep.code, severity: "error", message: rep.message, ...(rep.fix ? { fix: rep.fix } : {}) });
    }
  }
  return { problems: sortProblems(problems) };
}

export interface ManifestOptions extends ReadOptions {
  /** Tenant facts to judge the plan rules against. */
  tenant?: TenantFacts;
  /** Run the rule catalogue once the shape is valid (default true). */
  rules?: boolean;
}

export interface ManifestResult {
  /** The manifest, when its shape is valid (it may still break rules). */
  manifest?: Manifest;
  problems: Problem[];
  /** Rules not judged for lack of tenant facts (empty when the rules did not run). */
  unchecked: RuleId[];
  /** Whether the rules ran (they need a manifest of valid shape). */
  rulesRan: boolean;
}

/** Parses, shape-checks and rule-checks a manifest: every problem at once, sorted by position. */
export function parseManifest(text: string, file: string, opts: ManifestOptions = {}): ManifestResult {
  const read = readYaml(text, file, opts);
  const shaped = checkShape(Manifest, read, file);
  if (!shaped.value) return { problems: shaped.problems, unchecked: [], rulesRan: false };
  const manifest = shaped.value;
  if (opts.rules === false) return { manifest, problems: shaped.problems, unchecked: [], rulesRan: false };
  const problems = [...shaped.problems];
  const tree = read.tree!;
  if (opts.tenant && opts.tenant.profile !== manifest.profile) {
    const { line, column } = tree.locate(["profile"], "value");
    problems.push({ file, line, column, path: "profile", rule: "TENANT", severity: "error",
      message: `the tenant facts are for a ${opts.tenant.profile} tenant, but the manifest declares profile ${manifest.profile}`,
      fix: "validate against the facts of the tenant this manifest is for" });
  }
  const { violations, unchecked } = validateManifest(manifest, opts.tenant);
  for (const v of violations) {
    const { line, column } = tree.locate(v.path, "key");
    problems.push({ file, line, column, path: formatPath(v.path), rule: v.rule, severity: v.severity, message: v.message, fix: v.fix });
  }
  return { manifest, problems: sortProblems(problems), unchecked, rulesRan: true };
}

/** Parses and shape-checks a tenant facts file (YAML or JSON). */
export function parseTenantFacts(text: string, file: string, opts: ReadOptions = {}): { facts?: TenantFacts; problems: Problem[] } {
  const shaped = checkShape(TenantFacts, readYaml(text, file, opts), file);
  return { facts: shaped.value, problems: shaped.problems };
}

export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

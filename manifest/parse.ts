// Manifest text → manifest and every problem in it, each at file:line:column with its YAML path.
import { parseDocument } from "yaml";
import type { z } from "zod";
import { Manifest, type RuleId, TenantFacts, validateManifest } from "../schema";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { reportIssue } from "./issues";
import { EventIndex, eventTree, LineIndex, type PathSegment, type SourceTree, yamlTree } from "./source";
import { checkValue, LIMITS, LimitError, limitText } from "./limits";

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
  if (text.length > LIMITS.fileBytes) return limitProblem(file, { line: 1, column: 1 }, limitText.fileBytes());
  if (opts.reader === "yaml") {
    const lines = new LineIndex(text);
    const deep = flowDepthOver(text);
    if (deep !== -1) return limitProblem(file, lines.position(deep), limitText.depth());
    return withinLimits(readWithPositions(text, file), text, file, lines, Infinity);
  }
  const json = opts.reader === "js-yaml" ? undefined : readJson(text);
  if (json) {
    // Positions only if something is to be placed: then js-yaml reads the text again, recording them.
    let positioned: SourceTree | undefined;
    const tree: SourceTree = { locate: (path, at) => (positioned ??= readYaml(text, file, { reader: "js-yaml" }).tree ?? { locate: () => ({ line: 1, column: 1 }) }).locate(path, at) };
    return withinLimits({ value: json.value, tree, problems: [], reader: "js-yaml" }, text, file, new LineIndex(text), Infinity, LIMITS.depth);
  }
  let value: unknown;
  const index = new EventIndex(LIMITS.depth);
  const lines = new LineIndex(text);
  try {
    // js-yaml's own bounds (4.3): nesting depth and merge keys (`<<`)
    value = loadYaml(text, { schema: CORE_SCHEMA, filename: file, listener: index.listener, maxDepth: LIMITS.depth } as Parameters<typeof loadYaml>[1]);
  } catch (e) {
    if (e instanceof LimitError) return limitProblem(file, lines.position(e.offset), e);
    if (e instanceof RangeError) return limitProblem(file, lines.position(0), limitText.depth());
    const reason = String((e as { reason?: string }).reason ?? "");
    const at = (e as { mark?: { line: number; column: number } }).mark;
    if (at && /^nesting exceeded maxDepth/.test(reason)) return limitProblem(file, { line: at.line + 1, column: at.column + 1 }, limitText.depth());
    if (at && /^merge keys exceeded/.test(reason)) return limitProblem(file, { line: at.line + 1, column: at.column + 1 }, limitText.aliases());
    // `yaml` decides and places what js-yaml refuses, exactly, on files small enough and not too
    // deep for it (it recurses per level, and costs ~14x js-yaml); past that, js-yaml's own position.
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    const jsYaml = (): ParsedYaml => ({ problems: [{ file, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1, path: "", rule: "YAML", severity: "error",
      message: String((e as { reason?: string }).reason ?? (e as Error).message).replace(/\s*\(\d+:\d+\)$/, "") }], reader: "js-yaml" });
    if (text.length > LIMITS.exactSyntaxBytes) return jsYaml();
    const deep = flowDepthOver(text);
    if (deep !== -1) return limitProblem(file, lines.position(deep), limitText.depth());
    try {
      return withinLimits(readWithPositions(text, file), text, file, lines, Infinity);
    } catch (err) {
      if (err instanceof RangeError) return jsYaml();
      throw err;
    }
  }
  // Positions come from what js-yaml recorded while reading; `yaml` reads the file again only
  // for a path the index cannot vouch for (see eventTree).
  const tree = eventTree(text, value, index, lines, () => readWithPositions(text, file).tree!);
  return withinLimits({ value: value === undefined ? null : value, tree, problems: [], reader: "js-yaml" }, text, file, lines, index.count + LIMITS.aliasNodes);
}

/** A read refused by a limit: one problem, no value. */
function limitProblem(file: string, at: { line: number; column: number }, what: { message: string; fix: string }): ParsedYaml {
  return { problems: [{ file, line: at.line, column: at.column, path: "", rule: "LIMIT", severity: "error", message: what.message, fix: what.fix }], reader: "js-yaml" };
}

/** Key length, depth and alias expansion of a value read, within LIMITS; `budget` is the most nodes the expanded value may have. */
function withinLimits(read: ParsedYaml, text: string, file: string, lines: LineIndex, budget: number, maxDepth?: number): ParsedYaml {
  if (read.value === undefined || read.value === null || typeof read.value !== "object") return read;
  const over = checkValue(read.value, budget, maxDepth);
  if (!over) return read;
  if (over.kind === "key") {
    const at = read.tree ? safeLocate(read.tree, over.path) : lines.position(Math.max(0, text.indexOf(over.key.slice(0, 64))));
    return { problems: [{ file, ...at, path: "", rule: "LIMIT", severity: "error", ...limitText.keyLength(over.key.length) }], reader: read.reader };
  }
  if (over.kind === "depth") {
    const deep = flowDepthOver(text);
    return limitProblem(file, lines.position(deep === -1 ? 0 : deep), limitText.depth());
  }
  // the first alias in the text: where expansion starts
  const m = /(?:^|[\s,[{:-])\*[^\s,[\]{}]/m.exec(text);
  return limitProblem(file, lines.position(m ? m.index + (m[0][0] === "*" ? 0 : 1) : 0), limitText.aliases());
}

function safeLocate(tree: SourceTree, path: PathSegment[]): { line: number; column: number } {
  try { return tree.locate(path, "key"); } catch { return { line: 1, column: 1 }; }
}

/**
 * Where flow collections (`[`, `{`) nest deeper than LIMITS.depth, by a scan that ignores quoted
 * text and comments (a cheap guard before the `yaml` package, which recurses per level); -1 if not.
 */
function flowDepthOver(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) { if (++depth > LIMITS.depth) return i; }
    else if (c === 93 || c === 125) { if (depth > 0) depth--; }
    else if (c === 34 || c === 39) { const end = text.indexOf(String.fromCharCode(c), i + 1); if (end === -1) break; i = end; }
    else if (c === 35) { const nl = text.indexOf("\n", i); if (nl === -1) break; i = nl; }
    else if (c === 10) {
      // block nesting: indentation in steps, bounded likewise (a line indented by > 2 * depth spaces)
      let j = i + 1;
      while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 45) j++;
      if (j - i - 1 > 8 * LIMITS.depth) return i + 1;
    }
  }
  return -1;
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
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === "object") for (const k in v) { keys++; stack.push((v as Record<string, unknown>)[k]); }
  }
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
  /** Problems past LIMITS.problems, not listed (the list holds the first ones by position). */
  omitted?: Omitted;
}

export interface Omitted { errors: number; warnings: number }

/** The first LIMITS.problems problems (sorted), and how many more there were. */
export function capProblems(problems: Problem[], max: number = LIMITS.problems): { problems: Problem[]; omitted?: Omitted } {
  if (problems.length <= max) return { problems };
  const rest = problems.slice(max);
  const errors = rest.filter((p) => p.severity === "error").length;
  return { problems: problems.slice(0, max), omitted: { errors, warnings: rest.length - errors } };
}

/** Parses, shape-checks and rule-checks a manifest: every problem at once, sorted by position. */
export function parseManifest(text: string, file: string, opts: ManifestOptions = {}): ManifestResult {
  const r = parseAll(text, file, opts);
  return { ...r, ...capProblems(r.problems) };
}

function parseAll(text: string, file: string, opts: ManifestOptions): ManifestResult {
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
export function parseTenantFacts(text: string, file: string, opts: ReadOptions = {}): { facts?: TenantFacts; problems: Problem[]; omitted?: Omitted } {
  const shaped = checkShape(TenantFacts, readYaml(text, file, opts), file);
  return { facts: shaped.value, ...capProblems(shaped.problems) };
}

export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

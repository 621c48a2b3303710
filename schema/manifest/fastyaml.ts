// A fast reader for the plain block-style subset of YAML that manifests are written in (block
// maps and sequences, one-line plain or quoted scalars, one-line flow sequences of scalars,
// comments). The `yaml` package takes tens of seconds on a 100,000-user manifest; this takes a
// fraction of a second. Anything outside the subset, or anything that might be an error, makes it
// give up (return undefined), and the caller parses with `yaml`, which stays the reference for
// semantics and for syntax errors. A test checks both agree on every corpus file.
import { type ContainerPositions, pack } from "./source";

export interface FastParse {
  value: unknown;
  rootPos: number;
  /** Positions of every container, by identity. Built on first use by reading the text again. */
  table: () => Map<object, ContainerPositions>;
}

class GiveUp extends Error {}
const giveUp = (): never => { throw new GiveUp(); };

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
// Other core-schema numbers (octal, hex, floats, .inf, .nan): left to `yaml`.
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$.\- ]*$/;

function plainScalar(s: string): unknown {
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === "t" || s[0] === "T";
  if (INT.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : giveUp();
  }
  if (OTHER_NUMBER.test(s)) giveUp();
  return s;
}

const isKeyString = (k: string) => k !== "__proto__" && !NULL.test(k) && !BOOL.test(k);

/**
 * Reads `text` if it is in the subset. Positions cost as much as the values (and are needed only
 * when something is wrong), so they are recorded by a second read, on demand, against the values
 * of the first.
 */
export function fastParse(text: string): FastParse | undefined {
  try {
    const first = new Reader(text, null).document();
    let table: Map<object, ContainerPositions> | undefined;
    return {
      value: first.value,
      rootPos: first.rootPos,
      table: () => (table ??= positionsOf(text, first.value)),
    };
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

/** Second read with positions, keyed by the first read's containers (same text, same shape). */
function positionsOf(text: string, value: unknown): Map<object, ContainerPositions> {
  const table = new Map<object, ContainerPositions>();
  const second = new Reader(text, table).document();
  const out = new Map<object, ContainerPositions>();
  const walk = (a: unknown, b: unknown) => {
    if (a === null || typeof a !== "object") return;
    const rec = table.get(b as object);
    if (rec) out.set(a, rec);
    if (Array.isArray(a)) a.forEach((x, i) => walk(x, (b as unknown[])[i]));
    else for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
  };
  walk(value, second.value);
  return out;
}

class Reader {
  private readonly lines: string[];
  /** Current line (0-based) and the column (0-based) its content starts at. */
  private i = 0;
  private c = 0;
  constructor(text: string, private readonly table: Map<object, ContainerPositions> | null) {
    if (text.charCodeAt(0) === 0xfeff) giveUp();
    if (text.includes("\t") || text.includes("\r")) giveUp();
    this.lines = text.split("\n");
  }

  document(): { value: unknown; rootPos: number } {
    this.skip();
    if (this.i >= this.lines.length) giveUp(); // empty document: let `yaml` say so
    if (this.c !== 0) giveUp();
    const rootPos = pack(this.i + 1, this.c + 1);
    const value = this.node(0);
    this.skip();
    if (this.i < this.lines.length) giveUp();
    return { value, rootPos };
  }

  /** Moves to the next line with content; sets `c` to its indentation. */
  private skip(): void {
    const lines = this.lines;
    while (this.i < lines.length) {
      const line = lines[this.i];
      let c = 0;
      while (line.charCodeAt(c) === 32) c++;
      if (c === line.length || line.charCodeAt(c) === 35 /* # */) { this.i++; continue; }
      const ch = line.charCodeAt(0);
      if (c === 0 && (ch === 37 /* % */ || line.startsWith("---") || line.startsWith("..."))) giveUp();
      this.c = c;
      return;
    }
  }

  private get content(): string { return this.lines[this.i].slice(this.c); }

  /** A block node whose first line is the current one, content at column `c` ≥ `min`. */
  private node(min: number): unknown {
    if (this.c < min) giveUp();
    const s = this.content;
    if (s === "-" || s.startsWith("- ")) return this.seq(this.c);
    if (splitKey(s)) return this.map(this.c);
    giveUp(); // a scalar on its own line (multi-line scalar or a lone document scalar)
  }

  private map(ind: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const rec: ContainerPositions | null = this.table && { keys: [], pos: [] };
    if (rec) this.table!.set(obj, rec);
    for (;;) {
      const s = this.content;
      const kv = splitKey(s) ?? giveUp();
      const { key, rest, restAt } = kv;
      if (Object.prototype.hasOwnProperty.call(obj, key)) giveUp(); // duplicate: `yaml` reports it
      const keyPos = pack(this.i + 1, ind + 1);
      let value: unknown;
      let valuePos: number;
      if (rest === "") {
        this.i++;
        this.skip();
        if (this.i < this.lines.length && this.c > ind) {
          valuePos = pack(this.i + 1, this.c + 1);
          value = this.node(ind + 1);
        } else if (this.i < this.lines.length && this.c === ind && (this.content === "-" || this.content.startsWith("- "))) {
          valuePos = pack(this.i + 1, this.c + 1);
          value = this.seq(ind);
        } else {
          valuePos = keyPos;
          value = null;
        }
      } else {
        valuePos = pack(this.i + 1, ind + restAt + 1);
        value = this.inline(rest, this.i + 1, ind + restAt + 1);
        this.i++;
        this.skip();
      }
      obj[key] = value;
      if (rec) {
        rec.keys!.push(key);
        rec?.pos.push(keyPos, valuePos);
      }
      if (this.i >= this.lines.length || this.c < ind) return obj;
      if (this.c > ind) giveUp();
      const next = this.content;
      if (next === "-" || next.startsWith("- ")) {
        // a sequence at the map's own indentation ends the map only if the map is inside it
        return obj;
      }
    }
  }

  private seq(ind: number): unknown[] {
    const arr: unknown[] = [];
    const rec: ContainerPositions | null = this.table && { keys: null, pos: [] };
    if (rec) this.table!.set(arr, rec);
    for (;;) {
      const line = this.lines[this.i];
      let c = ind + 1;
      while (line.charCodeAt(c) === 32) c++;
      const rest = line.slice(c);
      if (rest === "" || rest[0] === "#") {
        this.i++;
        this.skip();
        if (this.i < this.lines.length && this.c > ind) {
          rec?.pos.push(pack(this.i + 1, this.c + 1));
          arr.push(this.node(ind + 1));
        } else {
          rec?.pos.push(pack(this.i + 1, ind + 1));
          arr.push(null);
        }
      } else if (rest === "-" || rest.startsWith("- ")) {
        giveUp();
      } else if (splitKey(rest)) {
        rec?.pos.push(pack(this.i + 1, c + 1));
        this.c = c;
        arr.push(this.map(c));
      } else {
        rec?.pos.push(pack(this.i + 1, c + 1));
        arr.push(this.inline(rest, this.i + 1, c + 1));
        this.i++;
        this.skip();
      }
      if (this.i >= this.lines.length || this.c < ind) return arr;
      if (this.c > ind) giveUp();
      const next = this.content;
      if (!(next === "-" || next.startsWith("- "))) return arr; // back in the parent map
    }
  }

  /** A value on the rest of a line: plain, quoted, `[a, b]`, `[]` or `{}`. */
  private inline(s: string, line: number, col: number): unknown {
    const ch = s[0];
    if (ch === '"' || ch === "'") {
      const [v, end] = quoted(s, 0);
      trailer(s, end);
      return v;
    }
    if (ch === "[") return this.flowSeq(s, line, col);
    if (ch === "{") {
      if (!/^\{\s*\}\s*(?:#.*)?$/.test(s)) giveUp();
      const obj = {};
      this.table?.set(obj, { keys: [], pos: [] });
      return obj;
    }
    if ("&*!|>%@`?:-,]}#".includes(ch) && !(ch === "-" && /^-[0-9.]/.test(s))) giveUp();
    return plainScalar(plainText(s));
  }

  private flowSeq(s: string, line: number, col: number): unknown[] {
    const arr: unknown[] = [];
    const rec: ContainerPositions | null = this.table && { keys: null, pos: [] };
    if (rec) this.table!.set(arr, rec);
    let p = 1;
    const ws = () => { while (s[p] === " ") p++; };
    ws();
    if (s[p] === "]") { trailer(s, p + 1); return arr; }
    for (;;) {
      ws();
      const ch = s[p];
      rec?.pos.push(pack(line, col + p));
      if (ch === '"' || ch === "'") {
        const [v, end] = quoted(s, p);
        arr.push(v);
        p = end;
      } else {
        if (ch === undefined || "[]{},&*!|>%@`?:#\"'".includes(ch) || (ch === "-" && s[p + 1] === " ")) giveUp();
        let e = p;
        while (e < s.length && s[e] !== "," && s[e] !== "]") {
          if ("[{}:#".includes(s[e])) giveUp();
          e++;
        }
        arr.push(plainScalar(s.slice(p, e).trimEnd()));
        p = e;
      }
      ws();
      if (s[p] === ",") { p++; ws(); if (s[p] === "]") giveUp(); continue; }
      if (s[p] === "]") { trailer(s, p + 1); return arr; }
      giveUp();
    }
  }
}

/** `key: rest` with a plain or quoted key; `rest` without its comment. */
function splitKey(s: string): { key: string; rest: string; restAt: number } | undefined {
  let key: string;
  let p: number;
  if (s[0] === '"' || s[0] === "'") {
    let v: unknown;
    try { [v, p] = quoted(s, 0); } catch { return undefined; }
    key = v as string;
    if (s[p] !== ":") return undefined;
  } else {
    p = s.indexOf(":");
    while (p !== -1 && p + 1 < s.length && s[p + 1] !== " ") p = s.indexOf(":", p + 1);
    if (p === -1) return undefined;
    const hash = s.indexOf(" #");
    if (hash !== -1 && hash < p) return undefined;
    key = s.slice(0, p).trimEnd();
    if (!PLAIN_KEY.test(key) || !isKeyString(key)) giveUp();
  }
  let r = p + 1;
  while (s[r] === " ") r++;
  const rest = s[r] === "#" ? "" : s.slice(r);
  return { key, rest, restAt: r };
}

/** A plain scalar's text: up to a comment, trailing spaces trimmed. */
function plainText(s: string): string {
  const hash = s.indexOf(" #");
  const t = (hash === -1 ? s : s.slice(0, hash)).trimEnd();
  if (t.includes(": ") || t.endsWith(":")) giveUp(); // a nested mapping: `yaml` reports the error
  return t;
}

/** After a quoted scalar or flow sequence: only spaces and a comment. */
function trailer(s: string, p: number): void {
  while (s[p] === " ") p++;
  if (p < s.length && !(s[p] === "#" && s[p - 1] === " ")) giveUp();
}

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", n: "\n", t: "\t", r: "\r", "0": "\0" };

/** A one-line quoted scalar starting at `p`: its value and the index after the closing quote. */
function quoted(s: string, p: number): [string, number] {
  const q = s[p];
  let out = "";
  let k = p + 1;
  for (;;) {
    const e = q === '"' ? s.slice(k).search(/["\\]/) : s.indexOf("'", k) - k;
    if (e < 0) giveUp(); // unterminated on this line: multi-line or an error
    out += s.slice(k, k + e);
    k += e;
    if (q === "'") {
      if (s[k + 1] === "'") { out += "'"; k += 2; continue; }
      return [out, k + 1];
    }
    if (s[k] === '"') return [out, k + 1];
    const x = s[k + 1];
    if (x === "u" && /^[0-9a-fA-F]{4}$/.test(s.slice(k + 2, k + 6))) {
      out += String.fromCharCode(parseInt(s.slice(k + 2, k + 6), 16));
      k += 6;
    } else if (x !== undefined && ESCAPES[x] !== undefined) {
      out += ESCAPES[x];
      k += 2;
    } else giveUp();
  }
}

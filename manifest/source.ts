// Where things are in a manifest's text: a path of keys and indices → 1-based line:column.
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import { LimitError, limitText } from "./limits";

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
}

/** Finds the source position of a path in a parsed document. */
export interface SourceTree {
  /**
   * Position of the node at `path`. With `at: "key"` and a path ending in a map key, the key's
   * position. A path that does not exist (a missing field, or a value a default or a role
   * supplied) falls back to the deepest node that does, at its key when it has one.
   */
  locate(path: readonly PathSegment[], at: "key" | "value"): Position;
}

/** Offsets → line:column, 1-based. */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  position(offset: number): Position {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo] + 1 };
  }
}

const keyText = (p: Pair): string | undefined => {
  const k = p.key;
  if (isScalar(k)) return k.value === null ? "" : String(k.value);
  return k === null || k === undefined ? "" : undefined;
};

/** A SourceTree over a `yaml` Document. */
export function yamlTree(doc: Document, lines: LineIndex): SourceTree {
  // each mapping's pairs by key, once (linear placing of many keys of one mapping)
  const byKey = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (node: { items: Pair[] }, key: string): Pair | undefined => {
    if (node.items.length < 16) return node.items.find((p) => keyText(p) === key);
    let m = byKey.get(node);
    if (!m) {
      m = new Map();
      for (const p of node.items) { const k = keyText(p); if (k !== undefined && !m.has(k)) m.set(k, p); }
      byKey.set(node, m);
    }
    return m.get(key);
  };
  return {
    locate(path, at) {
      let node: unknown = doc.contents;
      let keyNode: Node | null = null;
      let exact = true;
      let alias: Node | null = null;
      for (const seg of path) {
        if (isAlias(node)) {
          // inside an alias: point at where it is used, not at the anchor it repeats
          alias ??= node;
          node = node.resolve(doc);
        }
        if (isMap(node)) {
          const pair = pairOf(node, String(seg));
          if (!pair) { exact = false; break; }
          keyNode = (pair.key as Node) ?? null;
          node = pair.value;
        } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
          keyNode = null;
          node = node.items[seg];
        } else {
          exact = false;
          break;
        }
      }
      const valueNode = node as Node | null | undefined;
      const emptyValue = !valueNode?.range || (isScalar(valueNode) && valueNode.value === null && !valueNode.source);
      const target = alias ?? (keyNode && (at === "key" || !exact || emptyValue) ? keyNode : valueNode);
      const offset = target?.range?.[0] ?? (doc.contents as Node | null)?.range?.[0] ?? 0;
      return lines.position(offset);
    },
  };
}

/**
 * Where js-yaml's nodes start, recorded while it reads (its `listener` option): one offset and one
 * subtree size per node, in document order, in two typed arrays (8 bytes a node, no objects).
 * With the value js-yaml built, that is enough to place any path (`eventTree`); measured on
 * 100,000 users (about 2 million nodes), recording costs nothing measurable next to the read.
 */
export class EventIndex {
  private open = new Int32Array(4096);
  private size = new Int32Array(4096);
  private stack: number[] = [];
  count = 0;

  /** `maxDepth`: deeper nesting stops the read with a LimitError (js-yaml recurses per level). */
  constructor(private readonly maxDepth = Infinity) {}

  /** Pass as js-yaml's `listener`. */
  readonly listener = (event: "open" | "close", state: { position: number }): void => {
    if (event === "open") {
      const n = this.count;
      if (n === this.open.length) {
        const open = new Int32Array(n * 2);
        open.set(this.open);
        this.open = open;
        const size = new Int32Array(n * 2);
        size.set(this.size);
        this.size = size;
      }
      this.open[n] = state.position;
      // js-yaml opens up to three events per level (a node, its block mapping attempt, its key)
      if (this.stack.length >= this.maxDepth * 3) throw new LimitError(state.position, limitText.depth().message, limitText.depth().fix);
      this.stack.push(n);
      this.count = n + 1;
    } else {
      const i = this.stack.pop()!;
      this.size[i] = this.count - i;
    }
  };

  /** Where js-yaml was when it began node `i` (before the whitespace and properties in front of it). */
  openAt(i: number): number {
    return this.open[i];
  }

  /** The direct children of node `i` (event indices), in document order. */
  children(i: number): number[] {
    const out: number[] = [];
    const end = i + this.size[i];
    for (let c = i + 1; c < end; c += this.size[c]) out.push(c);
    return out;
  }
}

const NULL_LITERAL = /(?:~|null|Null|NULL)(?=[ \t]*(?:#[^\n]*)?(?:\r?\n|$)|[ \t]*[,}\]])/y;

/**
 * A SourceTree over js-yaml's value and its `EventIndex`, placing paths exactly where `yamlTree`
 * does. What it cannot be sure of (a mapping whose keys it cannot match to their text: quoted
 * keys with escapes, non-string keys, explicit `?` keys …) it leaves to `fallback`, which the
 * caller builds with the `yaml` package, once, only then.
 */
export function eventTree(text: string, value: unknown, index: EventIndex, lines: LineIndex, fallback: () => SourceTree): SourceTree {
  const kids = new Map<number, number[]>();

  /** Past whitespace, line breaks and comments: where the next token starts. */
  const skipSpace = (p: number): number => {
    for (;;) {
      const ch = text.charCodeAt(p);
      if (ch === 32 || ch === 9 || ch === 10 || ch === 13) p++;
      else if (ch === 35 /* # */ && (p === 0 || /\s/.test(text[p - 1]))) {
        const nl = text.indexOf("\n", p);
        p = nl === -1 ? text.length : nl;
      } else return p;
    }
  };
  /** Where node `i`'s content starts: past whitespace, comments and its anchor and tag (as `yaml` places it). */
  const start = (i: number): number => {
    let p = skipSpace(index.openAt(i));
    for (;;) {
      const ch = text.charCodeAt(p);
      if (ch !== 38 /* & */ && ch !== 33 /* ! */) return p;
      while (p < text.length && !/[\s,[\]{}]/.test(text[p])) p++;
      p = skipSpace(p);
    }
  };
  // js-yaml tries a node in block context as a mapping's first key first; when no `:` follows, the
  // node it read is the content, one event inside the node's own (same start, only child).
  const children = (i: number): number[] => {
    let c = kids.get(i);
    if (!c) {
      c = index.children(i);
      if (c.length === 1 && start(c[0]) === start(i)) c = children(c[0]);
      kids.set(i, c);
    }
    return c;
  };
  /** Whether the key node at `p` reads as exactly `key`. */
  const keyAt = (p: number, key: string): boolean => {
    const q = text[p];
    if (q === '"' || q === "'") return !key.includes(q) && !key.includes("\\") && text.startsWith(q + key + q, p);
    if (!text.startsWith(key, p)) return false;
    const after = text.charCodeAt(p + key.length);
    return Number.isNaN(after) || after === 58 /* : */ || after === 32 || after === 9 || after === 10 || after === 13 || after === 44 /* , */ || after === 125 /* } */;
  };
  // Each mapping's keys and their indices, once: placing every key of a mapping is linear, not quadratic.
  const keyLists = new WeakMap<object, string[]>();
  const keyIndices = new WeakMap<object, Map<string, number>>();
  const keysOf = (o: object): string[] => {
    let k = keyLists.get(o);
    if (!k) keyLists.set(o, (k = Object.keys(o)));
    return k;
  };
  const keyIndex = (o: object, keys: string[], key: string): number => {
    if (keys.length < 16) return keys.indexOf(key);
    let m = keyIndices.get(o);
    if (!m) {
      m = new Map();
      for (let i = 0; i < keys.length; i++) m.set(keys[i], i);
      keyIndices.set(o, m);
    }
    return m.get(key) ?? -1;
  };
  let slow: SourceTree | undefined;
  const giveUp = (path: readonly PathSegment[], at: "key" | "value"): Position => (slow ??= fallback()).locate(path, at);

  return {
    locate(path, at) {
      if (slow || index.count === 0) return giveUp(path, at);
      let node = 0;
      let val: unknown = value;
      let keyNode = -1;
      let exact = true;
      for (const seg of path) {
        const s = start(node);
        // inside an alias: point at where it is used, not at the anchor it repeats
        if (text.charCodeAt(s) === 42 /* * */) return lines.position(s);
        if (Array.isArray(val)) {
          if (typeof seg !== "number" || seg >= val.length) { exact = false; break; }
          const c = children(node);
          if (c.length !== val.length) return giveUp(path, at);
          keyNode = -1;
          node = c[seg];
          val = val[seg];
        } else if (val !== null && typeof val === "object") {
          const keys = keysOf(val);
          const k = keyIndex(val, keys, String(seg));
          if (k < 0) { exact = false; break; }
          const c = children(node);
          if ((c.length !== 2 * keys.length && c.length !== 2 * keys.length + 1) || !keyAt(start(c[2 * k]), keys[k])) return giveUp(path, at);
          keyNode = c[2 * k];
          node = c[2 * k + 1];
          val = (val as Record<string, unknown>)[keys[k]];
        } else {
          exact = false;
          break;
        }
      }
      if (keyNode !== -1 && (at === "key" || !exact)) return lines.position(start(keyNode));
      let s = start(node);
      if (exact && val === null && !(NULL_LITERAL.lastIndex = s, NULL_LITERAL.test(text))) {
        // an empty value: at its key, or (a list item) just after the dash and its spaces
        if (keyNode !== -1) return lines.position(start(keyNode));
        if (node !== 0) {
          s = index.openAt(node);
          while (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9) s++;
        }
      }
      return lines.position(s);
    },
  };
}

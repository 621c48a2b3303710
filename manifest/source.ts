// Where things are in a manifest's text: a path of keys and indices → 1-based line:column.
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";

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
          const pair = node.items.find((p) => keyText(p) === String(seg));
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

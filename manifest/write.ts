// A manifest → YAML text, deterministically: the same manifest always gives the same bytes.
//
// Written by hand rather than with a YAML library's stringify so that the guarantees are ours:
// - keys in the zod schema's field order (read from the schema, so a new field lands where the
//   schema puts it), never in the object's insertion order;
// - block style everywhere, two-space indent, list items at their key's indentation + 2;
// - strings plain when that reads back as the same string under YAML 1.2 (core schema) and YAML
//   1.1 readers alike, double-quoted (JSON escapes, which YAML accepts) otherwise; extensions
//   always quoted (they look like numbers);
// - empty lists and maps, undefined values and values equal to the schema's default left out (the
//   schema gives them back on parsing), but for `version` and a workspace member's `access`,
//   which are clearer written out;
// - no timestamps, nothing read from the environment.
// Arrays are written in the order given: sorting is the exporter's decision (it knows the keys).
import type { z } from "zod";
import { Manifest } from "../schema";
import { type AnySchema, child, defaultOf, elementOf, keysOf } from "./zod";

export interface RenderOptions {
  /** `$schema` path or URL for the `yaml-language-server` header comment; omitted when absent. */
  schema?: string;
  /** Further header comment lines (without `# `). Keep tenant-specific and time-varying text out of them. */
  comment?: string[];
}

/** Keys whose string values are always quoted, even where a plain scalar would read back the same. */
const ALWAYS_QUOTED = new Set(["extension"]);

type Node = AnySchema | undefined;

/** Defaults written out all the same. */
const KEEP_DEFAULT = new Set(["version", "access"]);

/** The field's schema default, when it has one and it is a scalar. */
function scalarDefault(s: Node): { value: unknown } | undefined {
  const d = defaultOf(s);
  return d && (typeof d.value !== "object" || d.value === null) ? d : undefined;
}

/** Keys in schema order, then (should an unknown key ever reach here) the rest sorted. */
function orderedKeys(value: Record<string, unknown>, schema: Node): string[] {
  const known = keysOf(schema);
  const isDefault = (k: string) => {
    if (KEEP_DEFAULT.has(k) || !known.includes(k)) return false;
    const d = scalarDefault(schema && child(schema, k));
    return d !== undefined && d.value === value[k];
  };
  const present = Object.keys(value).filter((k) => !isEmpty(value[k]) && !isDefault(k));
  const inSchema = known.filter((k) => present.includes(k));
  const rest = present.filter((k) => !known.includes(k)).sort();
  return [...inSchema, ...rest];
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.values(v as object).every(isEmpty);
  return false;
}

// Words any YAML reader (1.1 or 1.2) may take for something other than a string.
const RESERVED = /^(?:~|null|true|false|yes|no|on|off|y|n|\.inf|-\.inf|\+\.inf|\.nan)$/i;
// Conservative plain-scalar alphabet: starts with a letter or digit, then letters, digits, space,
// and a few punctuation marks that mean nothing inside plain scalars in block context.
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 _.,@/()&'+-]*$/;
const NUMBERISH = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?|\.[0-9]+(?:e[-+]?[0-9]+)?|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/i;

/** A string as a YAML scalar: plain when safe, JSON-style double-quoted otherwise. */
export function yamlString(s: string, quote = false): string {
  const plain = !quote && PLAIN.test(s) && !/\s$/.test(s) && !RESERVED.test(s) && !NUMBERISH.test(s) && !/^[0-9]/.test(s);
  return plain ? s : JSON.stringify(s);
}

function scalar(v: unknown, key: string | undefined): string {
  if (typeof v === "string") return yamlString(v, key !== undefined && ALWAYS_QUOTED.has(key));
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new Error(`cannot render ${typeof v} ${String(v)} at ${key ?? "(list item)"}`);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Lines of a mapping at `indent`; `first` is the prefix of its first line (a list item's "- "). */
function mapping(value: Record<string, unknown>, schema: Node, indent: string, out: string[], first?: string): void {
  let lead = first;
  for (const key of orderedKeys(value, schema)) {
    const v = value[key];
    const pending = lead;
    const prefix = pending ?? indent;
    lead = undefined;
    const field = schema && child(schema, key);
    if (Array.isArray(v)) {
      out.push(`${prefix}${key}:`);
      sequence(v, field, indent + "  ", out, key);
    } else if (isMap(v)) {
      const inner: string[] = [];
      mapping(v, field, indent + "  ", inner);
      if (inner.length === 0) { lead = pending; continue; } // nothing but defaults: the key goes too
      out.push(`${prefix}${key}:`, ...inner);
    } else {
      out.push(`${prefix}${key}: ${scalar(v, key)}`);
    }
  }
}

function sequence(items: unknown[], schema: Node, indent: string, out: string[], key: string): void {
  const element = elementOf(schema);
  for (const item of items) {
    if (isMap(item)) {
      const before = out.length;
      mapping(item, element, indent + "  ", out, `${indent}- `);
      if (out.length === before) throw new Error(`cannot render an empty mapping in ${key}`);
    } else if (Array.isArray(item)) {
      throw new Error(`cannot render a list of lists in ${key}`);
    } else {
      out.push(`${indent}- ${scalar(item, undefined)}`);
    }
  }
}

/**
 * The manifest as YAML text: deterministic (schema key order, block style, stable quoting), with
 * empty collections left out. Arrays keep the order given. Parses back (`parseManifest`) to an
 * equal manifest.
 */
export function renderManifest(m: z.input<typeof Manifest>, opts: RenderOptions = {}): string {
  const out: string[] = [];
  if (opts.schema) out.push(`# yaml-language-server: $schema=${opts.schema}`);
  for (const line of opts.comment ?? []) out.push(line ? `# ${line}` : "#");
  const { $schema: _ignored, ...rest } = m as Record<string, unknown>;
  const body: Record<string, unknown> = { ...rest, version: rest.version ?? 1 };
  const lines: string[] = [];
  mapping(body, Manifest, "", lines);
  // A blank line between top-level sections, for reading.
  for (const line of lines) {
    if (out.length > 0 && !line.startsWith(" ") && !line.startsWith("-") && /^(groups|workspaces|roles|users):$/.test(line)) out.push("");
    out.push(line);
  }
  return `${out.join("\n")}\n`;
}

// The manifest's and the overlay's JSON Schemas, generated from the zod schemas, for editors
// (YAML language server). Checked in; a test keeps them equal to what is generated.
import { z } from "zod";
import { Manifest } from "../schema";
import { Overlay } from "./overlay";

/** Where the checked-in schemas live, relative to the package root. */
export const SCHEMA_FILES = { manifest: "schema/manifest.schema.json", overlay: "schema/manifest.overlay.schema.json" } as const;
export type SchemaKind = keyof typeof SCHEMA_FILES;

/** The JSON Schema (draft-07, which every YAML language server understands) of the input accepted. */
export function manifestJsonSchema(kind: SchemaKind = "manifest"): Record<string, unknown> {
  return z.toJSONSchema(kind === "manifest" ? Manifest : Overlay, { io: "input", target: "draft-07", unrepresentable: "any" }) as Record<string, unknown>;
}

/** The checked-in file's exact text. */
export const manifestJsonSchemaText = (kind: SchemaKind = "manifest"): string => `${JSON.stringify(manifestJsonSchema(kind), null, 2)}\n`;

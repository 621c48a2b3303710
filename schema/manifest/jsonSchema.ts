// The manifest's JSON Schema, generated from the zod schemas, for editors (YAML language server).
import { z } from "zod";
import { Manifest } from "../manifest";

/** Where the checked-in schema lives, relative to the package root. */
export const SCHEMA_FILE = "schema/manifest.schema.json";
export const SCHEMA_ID = "https://analytics-access.dev/schema/manifest.schema.json";

/** The manifest's JSON Schema (draft-07, which every YAML language server understands), as the input it accepts. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Manifest, { io: "input", target: "draft-07", unrepresentable: "any" }) as Record<string, unknown>;
  return { ...schema, $id: SCHEMA_ID };
}

/** The checked-in file's exact text. */
export const manifestJsonSchemaText = (): string => `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;

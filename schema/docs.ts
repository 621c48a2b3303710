import { z } from "zod";
import { Group } from "./group";
import { Role } from "./role";
import { RULES, RULE_IDS } from "./rules/catalogue";
import { TenantFacts } from "./tenant";
import { Permissions, UcClient, User } from "./user";
import { Workspace, WorkspaceMember } from "./workspace";

// The README's model and rule reference, generated from the schemas and the catalogue so the
// docs cannot drift from the code (test/schema/docs.test.ts compares them).

type JsonSchema = { type?: string | string[]; enum?: unknown[]; const?: unknown; items?: JsonSchema; anyOf?: JsonSchema[]; description?: string; properties?: Record<string, JsonSchema>; required?: string[]; default?: unknown; additionalProperties?: JsonSchema | boolean };

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "any"}`;
  if (s.type === "object" && !s.properties && typeof s.additionalProperties === "object") return `map of ${typeOf(s.additionalProperties)}`;
  return String(s.type ?? "any");
}

const escape = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function fieldTable(title: string, schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const rows = Object.entries(json.properties ?? {}).map(([name, s]) => {
    const required = json.required?.includes(name) && s.default === undefined ? "yes" : "";
    const def = s.default !== undefined ? ` Default: \`${JSON.stringify(s.default)}\`.` : "";
    return `| \`${name}\` | ${typeOf(s)} | ${required} | ${escape((s.description ?? "") + def)} |`;
  });
  const about = json.description ? `${json.description}\n\n` : "";
  return `#### ${title}\n\n${about}| field | type | required | meaning |\n|---|---|---|---|\n${rows.join("\n")}\n`;
}

export function modelReference(): string {
  return [
    fieldTable("User", User),
    fieldTable("Permissions (`user.permissions`, `role.permissions`)", Permissions),
    fieldTable("UC client (`user.ucClient`)", UcClient),
    fieldTable("Role", Role),
    fieldTable("Group", Group),
    fieldTable("Workspace", Workspace),
    fieldTable("Workspace member (`workspace.members[]`)", WorkspaceMember),
    fieldTable("Tenant facts (`validate --tenant FILE`)", TenantFacts),
  ].join("\n");
}

export function ruleReference(): string {
  const rows = RULE_IDS.map((id) => {
    const r = RULES[id];
    const kind = `${r.scope}${r.severity === "warning" ? ", warning" : ""}${r.needs.length ? `; needs ${r.needs.join(", ")}` : ""}`;
    return `| ${id} | ${escape(r.rejects)} | ${escape(r.why)} | ${kind} | ${r.source} |`;
  });
  return `| id | rejected | why | kind | seed |\n|---|---|---|---|---|\n${rows.join("\n")}\n`;
}

/** Replace the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function fillGenerated(doc: string, name: string, content: string): string {
  const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
  if (!re.test(doc)) throw new Error(`no <!-- generated:${name} --> section`);
  return doc.replace(re, (_m, open: string, close: string) => `${open}${content}${close}`);
}

export function generatedReadme(readme: string): string {
  return fillGenerated(fillGenerated(readme, "model", modelReference()), "rules", ruleReference());
}

import { z } from "zod";
import { Group, Manifest, Permissions, Role, RULE_IDS, RULES, TenantFacts, UcClient, User, Workspace, WorkspaceMember } from "../schema";
import { type AnySchema, child, defaultOf, defOf, isOptional, keysOf, layers, unwrap } from "./zod";

// The README's model and rule reference, generated from the schemas (through the walker in
// zod.ts) and the catalogue so the docs cannot drift from the code (test/docs.test.ts compares them).

const escape = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** How the README names a field's type: enum values, `list of …`, `map of …`, or the base type. */
function typeOf(s: AnySchema): string {
  const nullable = layers(s).some((l) => defOf(l).type === "nullable");
  const d = defOf(unwrap(s));
  let name: string;
  switch (d.type) {
    case "enum": name = Object.values(d.entries!).map((v) => `\`${String(v)}\``).join(" \\| "); break;
    case "literal": name = d.values!.map((v) => `\`${String(v)}\``).join(" \\| "); break;
    case "union": name = d.options!.map(typeOf).join(" \\| "); break;
    case "array": name = `list of ${typeOf(d.element!)}`; break;
    case "record": name = `map of ${typeOf(d.valueType!)}`; break;
    case "number": name = (d as { format?: string }).format?.includes("int") ? "integer" : "number"; break;
    default: name = d.type;
  }
  return nullable ? `${name} \\| null` : name;
}

/** The description of the outermost layer that has one (`.optional().meta(…)` over the type's own). */
const descriptionOf = (s: AnySchema): string | undefined => layers(s).map((l) => z.globalRegistry.get(l)?.description).find((x) => x !== undefined);

function fieldTable(title: string, schema: AnySchema): string {
  const rows = keysOf(schema).map((name) => {
    const field = child(schema, name)!;
    const d = defaultOf(field);
    const def = d ? ` Default: \`${JSON.stringify(d.value)}\`.` : "";
    return `| \`${name}\` | ${typeOf(field)} | ${isOptional(field) ? "" : "yes"} | ${escape((descriptionOf(field) ?? "") + def)} |`;
  });
  const about = descriptionOf(schema);
  return `#### ${title}\n\n${about ? `${about}\n\n` : ""}| field | type | required | meaning |\n|---|---|---|---|\n${rows.join("\n")}\n`;
}

export function modelReference(): string {
  return [
    fieldTable("Manifest (the top level)", Manifest),
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

/**
 * Pulumi projects for engine tests, laid out as a user's: a folder with Pulumi.yaml, the program
 * and node_modules where `analytics-access` and `@pulumi/pulumi` resolve (links to this checkout's
 * build and SDK, one copy of each, as npm would dedupe them).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./engine";

export interface ProjectFiles {
  name?: string;
  /** Pulumi.yaml's runtime options; `typescript: false` for a plain-JS program. */
  options?: Record<string, unknown>;
  main?: string;
  files: Record<string, string>;
}

/** node_modules as `npm install` leaves it for a project depending on this package. */
function linkDependencies(dir: string): void {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  for (const scope of ["@pulumi", "@types"]) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", scope), path.join(dir, "node_modules", scope));
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "analytics-access"));
}

/** A copy of one of examples/, installed: what a user who copies the example has after `npm install`. */
export function exampleProject(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aa-example-${name}-`));
  fs.cpSync(path.join(REPO_ROOT, "examples", name), dir, { recursive: true });
  linkDependencies(dir);
  return dir;
}

export function makeProject(p: ProjectFiles): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aa-project-"));
  const options = p.options ? `  options:\n${Object.entries(p.options).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join("\n")}\n` : "";
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${p.name ?? "access-test"}\nruntime:\n  name: nodejs\n${options}${p.main ? `main: ${p.main}\n` : ""}`);
  for (const [f, text] of Object.entries(p.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  linkDependencies(dir);
  if (!p.files["package.json"]) fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: p.name ?? "access-test", private: true, main: "index.js" }));
  return dir;
}

export interface Declared {
  kind: "User" | "Group" | "Workspace" | "WorkspaceGrant" | "Role" | "Echo";
  name: string;
  args: Record<string, unknown>;
  opts?: { dependsOn?: string[]; ignoreChanges?: string[]; replaceOnChanges?: string[]; protect?: boolean; retainOnDelete?: boolean; deleteBeforeReplace?: boolean };
}
export interface Declaration {
  resources?: Declared[];
  access?: { manifest: string; overlay?: string } | { inline: Record<string, unknown> };
  outputs?: Record<string, string>;
}

const DECLARED = fs.readFileSync(path.join(__dirname, "engine", "fixtures", "declared.js"), "utf8");

/** A plain-JS project whose program declares what `declare()` writes (see engine/fixtures/declared.js). */
export function declaredProject(first: Declaration, extra: Record<string, string> = {}): { dir: string; declare(d: Declaration): void } {
  const dir = makeProject({ options: { typescript: false }, files: { "index.js": DECLARED, "declaration.json": JSON.stringify(first), ...extra } });
  return { dir, declare: (d) => fs.writeFileSync(path.join(dir, "declaration.json"), JSON.stringify(d)) };
}

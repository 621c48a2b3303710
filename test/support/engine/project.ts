/**
 * A Pulumi project as the CLI reads it: Pulumi.yaml (sdk/go/common/workspace/project.go), the
 * stack's Pulumi.<stack>.yaml, and where the program runs (pkg/engine/project.go `getPwdMain`):
 * when `main` names a file, the program runs in that file's folder; when it names a folder, in
 * that folder; else in the project root. Plugins, the dynamic-provider host included, start in the
 * same folder (pkg/resource/plugin/provider_plugin.go: `newPlugin(ctx, ctx.Pwd, ...)`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface Project {
  /** The folder holding Pulumi.yaml. */
  root: string;
  name: string;
  runtime: string;
  /** `runtime.options` (typescript, tsconfig, nodeargs, ...). */
  options: Record<string, unknown>;
  main?: string;
}

export function loadProject(root: string): Project {
  const file = path.join(root, "Pulumi.yaml");
  const doc = parse(fs.readFileSync(file, "utf8")) as { name?: string; runtime?: string | { name: string; options?: Record<string, unknown> }; main?: string };
  if (!doc?.name) throw new Error(`${file}: no project name`);
  const runtime = typeof doc.runtime === "string" ? { name: doc.runtime } : (doc.runtime ?? { name: "" });
  return { root, name: doc.name, runtime: runtime.name, options: runtime.options ?? {}, main: doc.main };
}

/** getPwdMain: the program's working directory and entry point. */
export function pwdMain(project: Project): { pwd: string; main: string } {
  if (!project.main) return { pwd: project.root, main: "." };
  const main = path.resolve(project.root, project.main);
  if (!fs.existsSync(main)) throw new Error(`project 'main' could not be read: stat ${main}: no such file or directory`);
  return fs.statSync(main).isDirectory() ? { pwd: main, main: "." } : { pwd: path.dirname(main), main: path.basename(main) };
}

export interface ConfigValue {
  value: string;
  secret: boolean;
}

/**
 * Pulumi.<stack>.yaml's `config:`. Plain values are taken as written (objects as JSON, like the
 * CLI's config map). `secure:` values are ciphertext the model cannot decrypt: a test passes their
 * plain value through `secrets`, as `pulumi config set --secret` would have stored it.
 */
export function stackConfig(project: Project, stack: string, secrets: Record<string, string> = {}): Record<string, ConfigValue> {
  const file = path.join(project.root, `Pulumi.${stack}.yaml`);
  const out: Record<string, ConfigValue> = {};
  if (fs.existsSync(file)) {
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const [k, v] of Object.entries(doc.config ?? {})) {
      const key = k.includes(":") ? k : `${project.name}:${k}`;
      if (v && typeof v === "object" && "secure" in (v as object)) {
        if (!(key in secrets)) throw new Error(`${file}: ${key} is a secret; pass its value to the model`);
        continue;
      }
      out[key] = { value: typeof v === "string" ? v : JSON.stringify(v), secret: false };
    }
  }
  for (const [k, v] of Object.entries(secrets)) out[k] = { value: v, secret: true };
  return out;
}

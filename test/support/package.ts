/**
 * The package exactly as a user gets it: `npm pack` of this repository, installed with npm into a
 * fresh project laid out as `pulumi new typescript` lays one out (github.com/pulumi/templates,
 * folder typescript/: package.json, tsconfig.json, Pulumi.yaml, index.ts).
 *
 * The pack uses the repository's built dist/ (`npm test` builds first) with `--ignore-scripts`:
 * the `prepack`/`prepare` scripts would delete and rebuild dist/ while other test files run from it.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Pulumi's template package.json (typescript/package.json), for a project called `name`. */
export const templatePackageJson = (name: string) => ({
  name,
  main: "index.ts",
  devDependencies: { "@types/node": "^18", typescript: "^5.0.0" },
  dependencies: { "@pulumi/pulumi": "^3.113.0" },
});

/** Pulumi's template tsconfig.json (typescript/tsconfig.json): no skipLibCheck, target es2020. */
export const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "nodenext",
    moduleResolution: "nodenext",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/** The program: the imports the README documents, the manifest component and a resource declared in code. */
export const DEFAULT_INDEX_TS = `import * as pulumi from "@pulumi/pulumi";
import { Access, User, Group, Workspace, WorkspaceGrant, Role } from "analytics-access/provider";
import { Manifest, validateManifest } from "analytics-access/schema"; // the model and the rules
import { loadManifest, renderManifest } from "analytics-access/manifest"; // the YAML file format

// Group, Workspace, WorkspaceGrant and Role are declared the same way as User; here the manifest holds them.
export = async () => {
  const config = new pulumi.Config("analytics-access");
  const access = await Access.fromFiles("access", { manifest: "access.yaml", overlay: config.get("overlay") });
  // Declared in code next to the manifest: a reader from outside the phone system.
  const auditor = new User("auditor", { email: "auditor@partner.example", displayName: "External Auditor", tier: "reports" });
  return { users: Object.keys(access.users).length, auditorUserId: auditor.userId };
};
`;

/** A small valid manifest next to the program; its first line names the shipped JSON Schema. */
export const DEFAULT_ACCESS_YAML = `# yaml-language-server: $schema=./node_modules/analytics-access/schema/manifest.schema.json
version: 1
profile: dimensions
groups:
  - name: Sales
workspaces:
  - name: Sales Floor
users:
  - email: lead@customer.example
    displayName: Sales Lead
    tier: analytics
    groups: [Sales]
    primaryGroup: Sales
`;

/** npm's CLI script. Run with this process's Node: npm's own shebang would take the first `node` on PATH. */
export function npmCli(): string {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"),
    path.join(path.dirname(process.execPath), "node_modules", "npm", "bin", "npm-cli.js"),
    ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, "npm")),
  ];
  for (const candidate of candidates) {
    if (!candidate || !fs.existsSync(candidate)) continue;
    const real = fs.realpathSync(candidate);
    if (path.basename(real) === "npm-cli.js") return real;
  }
  throw new Error(`npm's npm-cli.js not found (looked at ${candidates.filter(Boolean).join(", ")})`);
}

/**
 * The environment for npm and the project's tools: this Node first on PATH (so `#!/usr/bin/env node`
 * scripts such as tsc and the package's bin run on it), and none of the `npm_*` variables of the
 * `npm test` that runs us (they name this repository's package and prefix).
 */
export function projectEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig", "npm_config_globalconfig"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) || keep.has(k.toLowerCase())) env[k] = v;
  delete env.INIT_CWD;
  env.PATH = [path.dirname(process.execPath), env.PATH ?? ""].join(path.delimiter);
  env.NO_UPDATE_NOTIFIER = "1";
  env.npm_config_update_notifier = "false";
  return { ...env, ...extra };
}

/** Runs npm (`args`, e.g. ["exec", "--no", "--", "tsc", ...]) in `cwd`; throws with its output unless `allowFailure`. */
export function npm(args: string[], cwd: string, opts: { allowFailure?: boolean; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [npmCli(), ...args], {
    cwd,
    env: projectEnv(),
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!opts.allowFailure && r.status !== 0) {
    throw new Error(`npm ${args.join(" ")} (in ${cwd}) exited ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ""}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

export interface PackedTarball {
  /** Absolute path of the .tgz. */
  file: string;
  /** Paths inside the package, as `npm pack` lists them. */
  files: string[];
  size: number;
  unpackedSize: number;
}

/** `npm pack` of the repository (its current dist/) into `destDir`. */
export function packRepository(destDir: string): PackedTarball {
  if (!fs.existsSync(path.join(REPO_ROOT, "dist", "provider", "index.d.ts"))) {
    throw new Error("dist/ is not built (with declarations): run `npm run build` first (`npm test` does)");
  }
  fs.mkdirSync(destDir, { recursive: true });
  const r = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", destDir], REPO_ROOT);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[]; size: number; unpackedSize: number }[];
  return { file: path.join(destDir, info.filename), files: info.files.map((f) => f.path), size: info.size, unpackedSize: info.unpackedSize };
}

export interface FreshProjectOptions {
  /** The project's name (Pulumi.yaml and package.json). Default: "access-infra". */
  name?: string;
  /** The tarball to install. Default: a fresh `npm pack` of the repository. */
  tarball?: string;
  /** Where to create the project (must not exist or be empty). Default: a new temporary directory. */
  dir?: string;
  /** The program. Default: DEFAULT_INDEX_TS. */
  indexTs?: string;
  /** More files to write, by path relative to the project; `access.yaml` defaults to DEFAULT_ACCESS_YAML. */
  files?: Record<string, string>;
}

/**
 * A fresh Pulumi TypeScript project with the packed package installed by npm (`npm install
 * --prefer-offline <tarball>` plus the template's own dependencies). Returns its directory; the
 * caller removes it.
 */
export function createFreshProject(options: FreshProjectOptions = {}): string {
  const name = options.name ?? "access-infra";
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "aa-project-"));
  fs.mkdirSync(dir, { recursive: true });
  const tarball = options.tarball ?? packRepository(fs.mkdtempSync(path.join(os.tmpdir(), "aa-pack-"))).file;
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(templatePackageJson(name), null, 4)}\n`);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(TEMPLATE_TSCONFIG, null, 4)}\n`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), options.indexTs ?? DEFAULT_INDEX_TS);
  for (const [file, text] of Object.entries({ "access.yaml": DEFAULT_ACCESS_YAML, ...options.files })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  npm(["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel", "error", tarball], dir);
  return dir;
}

// `analytics-access platform <serve|token|openapi>`.
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startPlatform } from "./index";
import { Store } from "./store";
import { issueToken } from "./tenants";
import { buildOpenApi } from "./openapi";

export const DEFAULT_DB = ".analytics-access/platform.db";
export const DEFAULT_PORT = 4780;

// Each subcommand's usage: its synopsis line and what it does. `platform <sub> --help` prints one,
// `platform --help` all of them.
const SUBCOMMANDS = {
  serve: `serve [--demo] [--port N] [--db FILE | --memory] [--rate-limit N|off] [--verbose]
        Start the reference platform on 127.0.0.1 (default port ${DEFAULT_PORT}, database ${DEFAULT_DB}).
        --demo seeds the demo tenant (once; a restart keeps its changes) and prints an admin token.
`,
  token: `token --tenant ID --user EMAIL [--db FILE] [--label TEXT]
        Issue an API token bound to a portal user; prints the token (only its hash is stored).
`,
  openapi: `openapi [--write]
        Print the OpenAPI document, or write it to platform/openapi.json.
`,
} as const;

const USAGE = `usage: analytics-access platform <command> [options]

commands:
${Object.values(SUBCOMMANDS).map((u) => `  ${u}`).join("")}`;

const subUsage = (sub: keyof typeof SUBCOMMANDS) => `usage: analytics-access platform ${SUBCOMMANDS[sub]}`;
const HELP = { help: { type: "boolean", short: "h" } } as const;

function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "platform"))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
export const openapiPath = () => join(projectRoot(), "platform", "openapi.json");

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...HELP,
    demo: { type: "boolean", default: false }, port: { type: "string" }, db: { type: "string" }, memory: { type: "boolean", default: false },
    "rate-limit": { type: "string" }, verbose: { type: "boolean", default: false },
  } });
  if (values.help) { process.stdout.write(subUsage("serve")); return 0; }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) { process.stderr.write(`platform serve: --port must be 0..65535, got "${values.port}"\n`); return 2; }
  let rateLimit: false | { perMinute: number; burst: number } | undefined;
  if (values["rate-limit"] !== undefined) {
    if (values["rate-limit"] === "off") rateLimit = false;
    else {
      const n = Number(values["rate-limit"]);
      if (!Number.isInteger(n) || n < 1) { process.stderr.write(`platform serve: --rate-limit must be a positive integer or "off", got "${values["rate-limit"]}"\n`); return 2; }
      rateLimit = { perMinute: n, burst: n };
    }
  }
  const db = values.memory ? ":memory:" : resolve(values.db ?? DEFAULT_DB);
  const p = await startPlatform({ db, port, rateLimit, demo: values.demo, log: values.verbose ? (l: string) => process.stderr.write(`${l}\n`) : undefined });
  const out = [
    `analytics-access platform listening on ${p.url}`,
    `  API:       ${p.apiUrl}  (OpenAPI: ${p.apiUrl}/openapi.json)`,
    `  database:  ${db === ":memory:" ? "in memory (lost on exit)" : db}`,
  ];
  if (p.demoTenants.length) {
    for (const d of p.demoTenants) {
      const t = p.store.getTenant(d.id)!;
      out.push(`  tenant:    ${t.id} (${t.name}, profile ${t.profile})`, `    admin token: ${d.token}`, `    web page:    ${p.url}/#token=${d.token}`);
    }
    out.push(`  try:       curl -H "Authorization: Bearer ${p.adminToken}" ${p.apiUrl}/me`);
  } else if (p.store.listTenants().length === 0) {
    out.push("  no tenants yet: start with --demo, or create tenants programmatically (see platform/README.md)");
  }
  out.push("Ctrl-C stops it.");
  process.stdout.write(out.join("\n") + "\n");
  return new Promise<number>((resolveExit) => {
    const stop = () => { void p.close().then(() => resolveExit(0)); };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

async function token(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...HELP, db: { type: "string" }, tenant: { type: "string" }, user: { type: "string" }, label: { type: "string" } } });
  if (values.help) { process.stdout.write(subUsage("token")); return 0; }
  if (!values.tenant || !values.user) { process.stderr.write("platform token: --tenant ID and --user EMAIL are required\n" + USAGE); return 2; }
  const db = resolve(values.db ?? DEFAULT_DB);
  if (!existsSync(db)) { process.stderr.write(`platform token: no database at ${db}; start "platform serve" first or pass --db FILE\n`); return 1; }
  const store = new Store(db);
  try {
    process.stdout.write(`${issueToken(store, values.tenant, values.user, values.label ?? "cli")}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`platform token: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally { store.close(); }
}

async function openapi(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...HELP, write: { type: "boolean", default: false } } });
  if (values.help) { process.stdout.write(subUsage("openapi")); return 0; }
  const text = JSON.stringify(buildOpenApi(), null, 2) + "\n";
  if (values.write) { writeFileSync(openapiPath(), text); process.stdout.write(`wrote ${openapiPath()}\n`); }
  else process.stdout.write(text);
  return 0;
}

export const command = {
  summary: "run the reference analytics platform (serve, token, openapi)",
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    try {
      if (sub === "serve") return await serve(rest);
      if (sub === "token") return await token(rest);
      if (sub === "openapi") return await openapi(rest);
    } catch (err) {
      if (err instanceof TypeError && /ERR_PARSE_ARGS/.test(String((err as { code?: string }).code))) { process.stderr.write(`platform: ${err.message}\n${USAGE}`); return 2; }
      throw err;
    }
    process.stdout.write(USAGE);
    return sub === undefined || sub === "help" || sub === "--help" || sub === "-h" ? 0 : 2;
  },
};

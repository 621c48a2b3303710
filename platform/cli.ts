// `analytics-access platform <serve|token|openapi>`.
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startPlatform } from "./index";
import { Store } from "./store";
import { issueTokenRecord, listTokens, revokeToken, type TokenView } from "./tenants";
import { ADMIN_KEY_ENV } from "./auth";
import { DEFAULT_TOKEN_TTL_DAYS } from "./store";
import { buildOpenApi } from "./openapi";

export const DEFAULT_DB = ".analytics-access/platform.db";
export const DEFAULT_PORT = 4780;

// Each subcommand's usage: its synopsis line and what it does. `platform <sub> --help` prints one,
// `platform --help` all of them.
const SUBCOMMANDS = {
  serve: `serve [--demo] [--port N] [--db FILE | --memory] [--rate-limit N|off] [--verbose]
        Start the reference platform on 127.0.0.1 (default port ${DEFAULT_PORT}, database ${DEFAULT_DB}).
        --demo seeds the demo tenant (once; a restart keeps its changes) and prints an admin token
        (valid 7 days; each start revokes the previous start's). Prints the admin credential for the
        admin routes, made for this start unless ${ADMIN_KEY_ENV} sets it.
`,
  token: `token --tenant ID --user EMAIL [--db FILE] [--label TEXT] [--expires-in DAYS]
        Issue an API token bound to a portal user; prints the token (only its hash is stored).
        It expires after DAYS days (default ${DEFAULT_TOKEN_TTL_DAYS}).
  token list [--tenant ID] [--db FILE | --url URL] [--json]
        List the API tokens: id, tenant, user, label, created, expires, status (never a secret).
  token revoke ID [--db FILE | --url URL]
        Revoke a token by its id (tok_…, from "token list"): it stops working at once.
        With --url, list and revoke go through a running platform's admin API (GET /admin/tokens,
        POST /admin/tokens/{id}/revoke) with the admin key from ${ADMIN_KEY_ENV}.
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
  out.push(p.adminKeySource === "env"
    ? `  platform admin key: from ${ADMIN_KEY_ENV} (the admin routes, ${p.apiUrl}/admin/…)`
    : `  platform admin key: ${p.adminKey}  (the admin routes, ${p.apiUrl}/admin/…; made for this start, set ${ADMIN_KEY_ENV} to fix one)`);
  out.push("Ctrl-C stops it.");
  process.stdout.write(out.join("\n") + "\n");
  return new Promise<number>((resolveExit) => {
    const stop = () => { void p.close().then(() => resolveExit(0)); };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** The database a token command works on (the one `serve` uses; SQLite lets both at it at once), or an exit code. */
function tokenStore(sub: string, file: string | undefined): Store | number {
  const db = resolve(file ?? DEFAULT_DB);
  if (!existsSync(db)) { process.stderr.write(`platform token${sub}: no database at ${db}; start "platform serve" first or pass --db FILE\n`); return 1; }
  return new Store(db);
}

/** A running platform's admin API (--url), with the admin key from the environment. */
async function adminApi<T>(sub: string, url: string, method: string, path: string): Promise<T | number> {
  const key = process.env[ADMIN_KEY_ENV];
  if (!key) { process.stderr.write(`platform token ${sub}: --url needs the platform's admin key in ${ADMIN_KEY_ENV} ("platform serve" prints it)\n`); return 2; }
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/+$/, "")}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } });
  } catch (err) {
    process.stderr.write(`platform token ${sub}: no answer from ${url} (${(err as Error).message})\n`);
    return 1;
  }
  const body = await res.json().catch(() => null) as (T & { code?: string; detail?: string }) | null;
  if (!res.ok || !body) { process.stderr.write(`platform token ${sub}: ${res.status} ${body?.code ?? ""}: ${body?.detail ?? "no detail"}\n`); return 1; }
  return body;
}

async function tokenList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...HELP, db: { type: "string" }, url: { type: "string" }, tenant: { type: "string" }, json: { type: "boolean", default: false } } });
  if (values.help) { process.stdout.write(subUsage("token")); return 0; }
  let items: TokenView[];
  let store: Store | undefined;
  if (values.url) {
    const got = await adminApi<{ items: TokenView[] }>("list", values.url, "GET", `/admin/tokens${values.tenant ? `?tenant=${encodeURIComponent(values.tenant)}` : ""}`);
    if (typeof got === "number") return got;
    items = got.items;
  } else {
    const opened = tokenStore(" list", values.db);
    if (typeof opened === "number") return opened;
    store = opened;
  }
  try {
    items ??= listTokens(store!, values.tenant);
    if (values.json) { process.stdout.write(JSON.stringify({ items }, null, 2) + "\n"); return 0; }
    if (!items.length) { process.stdout.write("no tokens\n"); return 0; }
    const rows = [["ID", "TENANT", "USER", "LABEL", "CREATED", "EXPIRES", "STATUS"], ...items.map((t) => [t.id, t.tenantId, t.user ?? t.userId, t.label, t.createdAt.slice(0, 19), t.expiresAt.slice(0, 19), t.status])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    process.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n") + "\n");
    return 0;
  } catch (err) {
    process.stderr.write(`platform token list: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally { store?.close(); }
}

async function tokenRevoke(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...HELP, db: { type: "string" }, url: { type: "string" } } });
  if (values.help) { process.stdout.write(subUsage("token")); return 0; }
  if (positionals.length !== 1) { process.stderr.write("platform token revoke: give one token id (tok_…; \"platform token list\" shows them)\n"); return 2; }
  if (values.url) {
    const t = await adminApi<TokenView>("revoke", values.url, "POST", `/admin/tokens/${encodeURIComponent(positionals[0])}/revoke`);
    if (typeof t === "number") return t;
    process.stdout.write(`revoked ${t.id} (${t.user ?? t.userId} in ${t.tenantId}, label "${t.label}") at ${t.revokedAt}\n`);
    return 0;
  }
  const store = tokenStore(" revoke", values.db);
  if (typeof store === "number") return store;
  try {
    const t = revokeToken(store, positionals[0]);
    if (!t) { process.stderr.write(`platform token revoke: no token ${positionals[0]} ("platform token list" shows them)\n`); return 1; }
    process.stdout.write(`revoked ${t.id} (${t.user ?? t.userId} in ${t.tenantId}, label "${t.label}") at ${t.revokedAt}\n`);
    return 0;
  } finally { store.close(); }
}

async function token(argv: string[]): Promise<number> {
  if (argv[0] === "list") return tokenList(argv.slice(1));
  if (argv[0] === "revoke") return tokenRevoke(argv.slice(1));
  const { values } = parseArgs({ args: argv, options: { ...HELP, db: { type: "string" }, tenant: { type: "string" }, user: { type: "string" }, label: { type: "string" }, "expires-in": { type: "string" } } });
  if (values.help) { process.stdout.write(subUsage("token")); return 0; }
  if (!values.tenant || !values.user) { process.stderr.write("platform token: --tenant ID and --user EMAIL are required\n" + USAGE); return 2; }
  const days = values["expires-in"] === undefined ? DEFAULT_TOKEN_TTL_DAYS : Number(values["expires-in"]);
  if (!Number.isFinite(days) || days <= 0) { process.stderr.write(`platform token: --expires-in must be a positive number of days, got "${values["expires-in"]}"\n`); return 2; }
  const store = tokenStore("", values.db);
  if (typeof store === "number") return store;
  try {
    const { token: secret, record } = issueTokenRecord(store, values.tenant, values.user, values.label ?? "cli", { ttlDays: days });
    process.stdout.write(`${secret}\n`);
    process.stderr.write(`token ${record.id} expires ${record.expiresAt}; "platform token revoke ${record.id}" revokes it\n`);
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

// `analytics-access validate`: checks a manifest's YAML, shape and rules, optionally against a tenant.
// `analytics-access schema`: prints (or writes, or checks) the manifest's JSON Schema.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { RULE_IDS, type TenantFacts } from "../schema";
import { formatProblem, LIMITS, LoadError, loadManifest, loadTenantFacts, manifestJsonSchemaText, type Omitted, type Problem } from "../manifest";
import { describeLiveError, liveSession, UsageError } from "./live";
import { type Io, parseCommandArgs, plural, processIo } from "./output";

const USAGE = `usage: analytics-access validate <manifest.yaml> [--tenant facts.yaml|facts.json] [--format text|json]
       analytics-access validate <manifest.yaml> --endpoint URL [--token-env VAR]

Checks a manifest: YAML syntax, shape (unknown keys, types, values) and the rule catalogue.
With --tenant, the plan rules are judged against the tenant's facts (licences, live users,
directory, credential); with --endpoint, against the live tenant the token (read from the
environment variable VAR, default ANALYTICS_ACCESS_TOKEN) belongs to. Exit 0 valid (warnings allowed), 1 problems found, 2 usage or I/O error.
`;

type Options = { tenant?: string; endpoint?: string; "token-env"?: string; format?: string };

export const command = {
  summary: "validate a manifest (YAML syntax, shape, rules), optionally against tenant facts",
  async run(argv: string[], io: Io = processIo): Promise<number> {
    const args = parseCommandArgs<Options>("validate", USAGE, argv, {
      tenant: { type: "string", short: "t" },
      endpoint: { type: "string" },
      "token-env": { type: "string" },
      format: { type: "string", default: "text" },
    }, io);
    if (typeof args === "number") return args;
    const { values, positionals, usage } = args;
    if (positionals.length !== 1) return usage(positionals.length ? "give exactly one manifest" : "which manifest? give its path");
    if (values.format !== "text" && values.format !== "json") return usage(`--format must be text or json, not "${values.format}"`);
    if (values.tenant && values.endpoint) return usage("give either --tenant or --endpoint, not both");
    if (values["token-env"] && !values.endpoint) return usage("--token-env goes with --endpoint");
    const file = positionals[0];

    try {
      let tenant: TenantFacts | undefined;
      const problems: Problem[] = [];
      if (values.endpoint) {
        try {
          tenant = await liveSession(values.endpoint, values["token-env"]).facts();
        } catch (e) {
          if (e instanceof UsageError) return usage(e.message);
          io.err(`analytics-access validate: ${describeLiveError(e, values.endpoint)}\n`);
          return 2;
        }
      }
      if (values.tenant) {
        const t = loadTenantFacts(values.tenant);
        problems.push(...t.problems);
        if (!t.facts) return report(io, values.format, file, problems, undefined, t.omitted);
        tenant = t.facts;
      }
      const result = loadManifest(file, { tenant });
      problems.push(...result.problems);
      return report(io, values.format, file, problems, result.manifest && { manifest: result.manifest, unchecked: result.rulesRan ? result.unchecked : undefined }, result.omitted);
    } catch (e) {
      if (e instanceof LoadError) { io.err(`analytics-access validate: ${e.message}\n`); return 2; }
      throw e;
    }
  },
};

interface Checked {
  manifest: { users: unknown[]; groups: unknown[]; workspaces: unknown[]; roles: unknown[] };
  unchecked?: readonly string[];
}

function report(io: Io, format: string | undefined, file: string, problems: Problem[], checked: Checked | undefined, omitted?: Omitted): number {
  const errors = problems.filter((p) => p.severity === "error").length + (omitted?.errors ?? 0);
  const warnings = problems.length + (omitted ? omitted.errors + omitted.warnings : 0) - errors;
  const ok = errors === 0 && checked !== undefined;
  if (format === "json") {
    io.out(`${JSON.stringify({ file, valid: ok, errors, warnings, problems, omitted: omitted ? omitted.errors + omitted.warnings : 0, unchecked: checked?.unchecked ?? null }, null, 2)}\n`);
    return ok ? 0 : 1;
  }
  for (const p of problems) io.out(`${formatProblem(p)}\n`);
  if (omitted) io.out(`${file}: and ${plural(omitted.errors + omitted.warnings, "more problem")} not listed (the first ${LIMITS.problems.toLocaleString("en-US")} by position are): fix these and validate again\n`);
  if (ok) {
    const m = checked.manifest;
    const counts = [plural(m.users.length, "user"), plural(m.groups.length, "group"), plural(m.workspaces.length, "workspace"), plural(m.roles.length, "role")].join(", ");
    const unchecked = checked.unchecked ?? [];
    const rules = unchecked.length === 0
      ? `all ${RULE_IDS.length} rules checked`
      : `${plural(unchecked.length, "rule")} unchecked without tenant facts: ${unchecked.join(", ")}`;
    io.out(`${file}: ${counts}: valid${warnings ? ` with ${plural(warnings, "warning")}` : ""} (${rules})\n`);
    return 0;
  }
  io.out(`${file}: ${plural(errors, "error")}${warnings ? `, ${plural(warnings, "warning")}` : ""}\n`);
  return 1;
}

const SCHEMA_USAGE = `usage: analytics-access schema [--overlay] [--write FILE | --check FILE]

Prints the manifest's JSON Schema (with --overlay: a per-stack overlay's), generated from the
zod schemas. --write FILE writes it; --check FILE exits 1 if FILE differs from what would be
generated. Point editors at it with
  # yaml-language-server: $schema=<relative path>/schema/manifest.schema.json
`;

export const schemaCommand = {
  summary: "print, write or check the manifest's JSON Schema (for editors)",
  async run(argv: string[], io: Io = processIo): Promise<number> {
    let values: { write?: string; check?: string; overlay?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({ args: argv, options: { write: { type: "string" }, check: { type: "string" }, overlay: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
    } catch (e) {
      io.err(`analytics-access schema: ${(e as Error).message}\n${SCHEMA_USAGE}`);
      return 2;
    }
    if (values.help) { io.out(SCHEMA_USAGE); return 0; }
    const text = manifestJsonSchemaText(values.overlay ? "overlay" : "manifest");
    if (values.write) {
      writeFileSync(values.write, text);
      io.out(`wrote ${values.write}\n`);
      return 0;
    }
    if (values.check) {
      let current: string;
      try { current = readFileSync(values.check, "utf8"); } catch { current = ""; }
      if (current === text) { io.out(`${values.check} is up to date\n`); return 0; }
      io.err(`${values.check} is out of date: run analytics-access schema --write ${values.check}\n`);
      return 1;
    }
    io.out(text);
    return 0;
  },
};

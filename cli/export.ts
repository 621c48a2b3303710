// `analytics-access export`: the live tenant a token belongs to, as a manifest (YAML).
import { existsSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { exportManifest } from "../provider/export";
import { renderManifest } from "../manifest";
import { describeLiveError, liveSession, UsageError } from "./live";
import { type Io, parseCommandArgs, plural, processIo } from "./output";
import { progress } from "./progress";

const USAGE = `usage: analytics-access export [--endpoint URL] [--token-env VAR] [--out FILE] [--all]

Reads the tenant the token (from the environment variable VAR, default ANALYTICS_ACCESS_TOKEN)
belongs to and prints it as a manifest: groups, workspaces and their members, named roles and
users, sorted, without platform ids, so that it applies to another tenant with the same PBX
directory and an unchanged tenant exports to the same bytes. PBX users appear by extension only
(their names and emails come from the directory); those at the phone system's baseline (Essential
only, no groups, roles or softphone) are left out unless --all.
--out FILE writes the manifest to FILE instead of stdout.
Exit 0 exported, 2 usage error or the tenant could not be read.
`;

type Options = { endpoint?: string; "token-env"?: string; out?: string; all?: boolean };

/** The manifest's JSON Schema as the header names it: relative to where the manifest is written. */
function schemaRef(outFile: string | undefined): string {
  // cli/ in the sources, dist/cli/ when built: the schema sits at the package root either way.
  const candidates = [resolve(__dirname, "..", "schema", "manifest.schema.json"), resolve(__dirname, "..", "..", "schema", "manifest.schema.json")];
  const schemaFile = candidates.find((f) => existsSync(f)) ?? candidates[1];
  const from = outFile ? dirname(resolve(outFile)) : process.cwd();
  const rel = relative(from, schemaFile).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

export const command = {
  summary: "export the live tenant as a manifest (deterministic YAML, no tenant ids)",
  async run(argv: string[], io: Io = processIo): Promise<number> {
    const args = parseCommandArgs<Options>("export", USAGE, argv, {
      endpoint: { type: "string" },
      "token-env": { type: "string" },
      out: { type: "string", short: "o" },
      all: { type: "boolean" },
    }, io);
    if (typeof args === "number") return args;
    const { values, positionals, usage } = args;
    if (positionals.length) return usage(`unexpected argument "${positionals[0]}" (write to a file with --out FILE)`);

    let session;
    try {
      session = liveSession(values.endpoint, values["token-env"]);
    } catch (e) {
      if (e instanceof UsageError) return usage(e.message);
      throw e;
    }
    const endpoint = session.settings.endpoint;
    // The display goes to the real stderr only: a caller's own Io (tests) gets none.
    const bar = io === processIo ? progress("analytics-access export: reading the tenant") : { update() {}, done() {} };
    let text: string;
    let counts: string;
    try {
      const manifest = await exportManifest(session, { all: values.all, onProgress: (_step, done, total) => bar.update(done, total) });
      text = renderManifest(manifest, {
        schema: schemaRef(values.out),
        comment: ["Exported by `analytics-access export`: review before applying."],
      });
      counts = [plural(manifest.users.length, "user"), plural(manifest.groups.length, "group"), plural(manifest.workspaces.length, "workspace"), plural(manifest.roles.length, "role")].join(", ");
    } catch (e) {
      bar.done();
      io.err(`analytics-access export: ${scrub(describeLiveError(e, endpoint), session.settings.token)}\n`);
      return 2;
    }
    bar.done();
    if (!values.out) { io.out(text); return 0; }
    try {
      writeFileSync(values.out, text);
    } catch (e) {
      io.err(`analytics-access export: cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
    io.err(`wrote ${values.out}: ${counts}\n`);
    return 0;
  },
};

/** Belt and braces: the client already keeps the token out of its errors. */
const scrub = (s: string, token: string): string => (token ? s.split(token).join("[token]") : s);

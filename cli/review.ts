// `analytics-access review`: a manifest against a live tenant (or a facts file) as an access
// review for a pull-request comment: who gains and loses what, licence use before → after against
// capacity, and every rule violation with its fix. Markdown by default, `--json` for machines.
// The review and its rendering are ../review; this is the command: arguments, reading, writing.
import { writeFileSync } from "node:fs";
import type { ParseArgsOptionsConfig } from "node:util";
import { applyOverlay, formatProblem, LoadError, loadManifest, loadOverlay, loadTenantFacts, type Overlay, type Problem } from "../manifest";
import { headline, renderJson, renderMarkdown, reviewPlan } from "../review";
import type { Manifest, TenantFacts } from "../schema";
import type { Session } from "../provider/session";
import { describeLiveError, liveSession, UsageError } from "./live";
import { type Io, parseCommandArgs, plural, processIo } from "./output";
import { progress, type ProgressOptions } from "./progress";

const USAGE = `usage: analytics-access review <manifest.yaml> [--overlay FILE] [--previous FILE] [--tenant facts.yaml | --endpoint URL [--token-env VAR]] [--json] [--out FILE]

Reviews what applying the manifest would change, as Markdown for a pull-request comment: per user
the permissions, tier, add-ons, UC client and groups gained and lost, workspace grants, licence use
before → after against capacity, and every rule violation with its fix. --json prints the same as
JSON. The tenant is read from the platform at --endpoint (default: ANALYTICS_ACCESS_ENDPOINT, else
the embedded platform) with the token in the environment variable VAR (default
ANALYTICS_ACCESS_TOKEN), or from a facts file with --tenant. --out writes the review to FILE.
--previous FILE is the manifest as the stack last applied it (in a pull request: the base branch's),
with the same overlay: with it the review names the holders an additive role loses because the
manifest dropped them; without it, it says only that such holders may be removed.
Exit 0 no error violations, 1 error violations (or a manifest that cannot be read), 2 usage or I/O error.
`;

type Options = { overlay?: string; previous?: string; tenant?: string; endpoint?: string; "token-env"?: string; json?: boolean; out?: string };

/** The command's options as `node:util` parseArgs takes them (parseCommandArgs adds --help); CI workflows are tested against them. */
export const OPTIONS: ParseArgsOptionsConfig = {
  overlay: { type: "string" },
  previous: { type: "string" },
  tenant: { type: "string", short: "t" },
  endpoint: { type: "string" },
  "token-env": { type: "string" },
  json: { type: "boolean" },
  out: { type: "string", short: "o" },
};

export const command = {
  summary: "review a manifest against a tenant: access and licence changes, violations (Markdown or JSON)",
  async run(argv: string[], io: Io = processIo, opts: { progress?: ProgressOptions } = {}): Promise<number> {
    const args = parseCommandArgs<Options>("review", USAGE, argv, OPTIONS, io);
    if (typeof args === "number") return args;
    const { values, positionals, usage } = args;
    const fail = (msg: string) => { io.err(`analytics-access review: ${msg}\n`); return 2; };
    if (positionals.length !== 1) return usage(positionals.length ? "give exactly one manifest" : "which manifest? give its path");
    if (values.tenant && values.endpoint) return usage("give either --tenant or --endpoint, not both");
    if (values.tenant && values["token-env"]) return usage("--token-env goes with --endpoint");

    // The manifests first: a broken one needs no tenant read.
    const read = (file: string, what: string): Manifest | undefined => {
      const base = loadManifest(file, { rules: false });
      const over = values.overlay ? readOverlay(values.overlay) : { overlay: {} as Overlay, problems: [] };
      const problems = [...base.problems, ...over.problems];
      for (const p of problems) io.err(`${formatProblem(p)}\n`);
      if (!base.manifest || !over.overlay || problems.some((p) => p.severity === "error")) {
        io.err(`analytics-access review: ${what} cannot be read (${plural(problems.filter((p) => p.severity === "error").length, "error")}); run \`analytics-access validate\` for details\n`);
        return undefined;
      }
      return applyOverlay(base.manifest, over.overlay);
    };
    let manifest: Manifest;
    let previous: Manifest | undefined;
    try {
      const m = read(positionals[0], "the manifest");
      if (!m) return 1;
      manifest = m;
      if (values.previous) {
        previous = read(values.previous, `the previous manifest (--previous ${values.previous})`);
        if (!previous) return 1;
      }
    } catch (e) {
      if (e instanceof LoadError) return fail(e.message);
      throw e;
    }

    let facts: TenantFacts;
    if (values.tenant) {
      let t: { facts?: TenantFacts; problems: Problem[] };
      try {
        t = loadTenantFacts(values.tenant);
      } catch (e) {
        if (e instanceof LoadError) return fail(e.message);
        throw e;
      }
      for (const p of t.problems) io.err(`${formatProblem(p)}\n`);
      if (!t.facts) return fail(`the tenant facts in ${values.tenant} cannot be read`);
      facts = t.facts;
    } else {
      const endpoint = values.endpoint ?? process.env.ANALYTICS_ACCESS_ENDPOINT;
      // Count users as their pages arrive: a large tenant takes a while.
      const bar = progress("reading tenant… users", opts.progress);
      let session: Session;
      try {
        session = liveSession(endpoint, values["token-env"], (collection, n) => { if (collection === "users") bar.update(n); });
      } catch (e) {
        bar.done();
        if (e instanceof UsageError) return usage(e.message);
        throw e;
      }
      try {
        facts = await session.facts();
      } catch (e) {
        return fail(describeLiveError(e, session.settings.endpoint));
      } finally {
        bar.done();
      }
    }
    if (facts.profile !== manifest.profile)
      return fail(`the tenant is a ${facts.profile} tenant, but the manifest declares profile ${manifest.profile}: review it against the tenant it is for`);

    const review = reviewPlan(manifest, facts, { previous });
    const text = values.json ? renderJson(review) : renderMarkdown(review);
    if (values.out) {
      try {
        writeFileSync(values.out, text);
      } catch (e) {
        return fail(`cannot write ${values.out}: ${(e as Error).message}`);
      }
      io.err(`${headline(review)}: written to ${values.out}\n`);
    } else io.out(text);
    return review.summary.errors > 0 ? 1 : 0;
  },
};

function readOverlay(file: string): { overlay?: Overlay; problems: Problem[] } {
  try {
    return loadOverlay(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new LoadError(err.code === "ENOENT" ? `${file}: no such file` : `${file}: ${err.message}`);
  }
}

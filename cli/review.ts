// `analytics-access review`: a manifest against a live tenant (or a facts file) as an access
// review for a pull-request comment: who gains and loses what, licence use before → after against
// capacity, and every rule violation with its fix. Markdown by default, `--json` for machines.
import { writeFileSync } from "node:fs";
import type { ParseArgsOptionsConfig } from "node:util";
import type { Manifest, TenantFacts } from "../schema";
import { label } from "../schema/rules/context";
import { applyOverlay, formatProblem, LoadError, loadManifest, loadOverlay, loadTenantFacts, type Overlay, type Problem } from "../schema/manifest/index";
import { type GrantReview, type Review, reviewPlan, type SetChange, type UserReview } from "../schema/review/index";
import type { Session } from "../provider/session";
import { describeLiveError, liveSession, UsageError } from "./live";
import { type Io, parseCommandArgs, plural, processIo } from "./output";
import { progress, type ProgressOptions } from "./progress";

const USAGE = `usage: analytics-access review <manifest.yaml> [--overlay FILE] [--tenant facts.yaml | --endpoint URL [--token-env VAR]] [--json] [--out FILE]

Reviews what applying the manifest would change, as Markdown for a pull-request comment: per user
the permissions, tier, add-ons, UC client and groups gained and lost, workspace grants, licence use
before → after against capacity, and every rule violation with its fix. --json prints the same as
JSON. The tenant is read from the platform at --endpoint (default: ANALYTICS_ACCESS_ENDPOINT, else
the embedded platform) with the token in the environment variable VAR (default
ANALYTICS_ACCESS_TOKEN), or from a facts file with --tenant. --out writes the review to FILE.
Exit 0 no error violations, 1 error violations (or a manifest that cannot be read), 2 usage or I/O error.
`;

type Options = { overlay?: string; tenant?: string; endpoint?: string; "token-env"?: string; json?: boolean; out?: string };

/** The command's options as `node:util` parseArgs takes them (parseCommandArgs adds --help); CI workflows are tested against them. */
export const OPTIONS: ParseArgsOptionsConfig = {
  overlay: { type: "string" },
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

    // The manifest first: a broken one needs no tenant read.
    let manifest: Manifest;
    try {
      const base = loadManifest(positionals[0], { rules: false });
      const over = values.overlay ? readOverlay(values.overlay) : { overlay: {} as Overlay, problems: [] };
      const problems = [...base.problems, ...over.problems];
      for (const p of problems) io.err(`${formatProblem(p)}\n`);
      if (!base.manifest || !over.overlay || problems.some((p) => p.severity === "error")) {
        io.err(`analytics-access review: the manifest cannot be read (${plural(problems.filter((p) => p.severity === "error").length, "error")}); run \`analytics-access validate\` for details\n`);
        return 1;
      }
      manifest = applyOverlay(base.manifest, over.overlay);
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
        session = liveSession(endpoint, values["token-env"], (path, n) => { if (path.startsWith("/users")) bar.update(n); });
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

    const review = reviewPlan(manifest, facts);
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

// ---------------------------------------------------------------------------------------------
// Rendering

/** The review as JSON: the Review object as built (its key order is fixed), two-space indented. */
export function renderJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}

export function headline(r: Review): string {
  const s = r.summary;
  return `${plural(s.usersChanging, "user")} change${s.usersChanging === 1 ? "s" : ""}, ${plural(s.licencesChanging, "licence")} change${s.licencesChanging === 1 ? "s" : ""}, ${plural(s.errors + s.warnings, "violation")}`;
}

// Everything below is rendered by GitHub (CommonMark + GFM tables, strikethrough and autolinks).
// User-supplied text (names, emails, devices) only ever sits inside a line, after the line's own
// marker, so only inline syntax needs neutralising; line starts are guarded once, in `item`.

/** A code span holding `s` verbatim, whatever backticks it contains. */
function code(s: string): string {
  const fence = "`".repeat(Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = /^`|`$/.test(s) || /^ .* $/.test(s) ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/**
 * What GitHub links in a comment beyond Markdown: emails (mailto links), `@name` (a mention, which
 * notifies that GitHub user or team) and `#12` (a reference, which links the repository's issue 12
 * and adds this pull request to its timeline). Shown as code instead: GitHub leaves code alone,
 * and the text stays greppable as typed.
 */
const GITHUB_LINKS = /[A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|(?<!\w)#\d+(?!\w)/g;

/**
 * User-supplied text in Markdown: no HTML or entities, no emphasis or strikethrough, no links, no
 * table breaks, and GITHUB_LINKS as code. Characters that matter only at the start of a line
 * (`#`, `+`, `-`, `1.`) are left alone: no user text starts one (see `item`).
 */
function esc(s: string): string {
  const plain = (t: string) => t.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
  let out = "";
  let at = 0;
  for (const m of s.matchAll(GITHUB_LINKS)) {
    out += plain(s.slice(at, m.index)) + code(m[0]);
    at = m.index + m[0].length;
  }
  return out + plain(s.slice(at));
}

/**
 * A message or fix from the rule catalogue: its code spans (`websiteAccess: true`) are kept as they
 * are, and everything between them, which may hold user-supplied names, is escaped like `esc`.
 * Code spans are found the CommonMark way: a run of backticks closed by the next run of the same length.
 */
function text(s: string): string {
  const runs = [...s.matchAll(/`+/g)];
  let out = "";
  let at = 0;
  for (let k = 0; k < runs.length; k++) {
    const open = runs[k];
    const close = runs.findIndex((r, j) => j > k && r[0].length === open[0].length);
    if (close < 0) continue; // an unmatched run is literal text, escaped with the rest
    const end = runs[close].index + runs[close][0].length;
    out += esc(s.slice(at, open.index)) + s.slice(open.index, end);
    at = end;
    k = close;
  }
  return (out + esc(s.slice(at))).replace(/[.\s]+$/, "");
}

/**
 * A list item. Its text must not start another block inside the item: `- + x` is a list within a
 * list, `- 1. x` an ordered one, `- # x` a heading, `- > x` a quote, `- ***` a rule. Such a start
 * is escaped; `**bold**` and the like are not blocks and stay as they are.
 */
const BLOCK_START = /^(?:(\d{1,9})(?=[.)](?:[ \t]|$))|[-+*](?=[ \t]|$)|#{1,6}(?=[ \t]|$)|(?:[-*_][ \t]*){3,}$|>|`{3}|~{3}|<)/;
const item = (s: string): string => `- ${s.trimStart().replace(BLOCK_START, (m, digits?: string) => (digits ? `${digits}\\` : `\\${m}`))}`;

/** `ext:201` → `ext 201`; `email:ann@x` → `ann@x` (as code: see `esc`). */
const who = (key: string): string => esc(key.startsWith("ext:") ? `ext ${key.slice(4)}` : key.replace(/^email:/, ""));

const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "±0");

function permissionLabel(item: string): string {
  const [key, scope] = item.split(":");
  return scope ? `${label(key)} (${scope})` : label(key);
}

function ucLabel(item: string): string {
  if (item === "desktop") return "desktop client";
  if (item === "crm") return "CRM client";
  const [, device, client] = item.split(":");
  return `softphone on ${esc(device)}${client && client !== "desktop" ? ` (${client} client)` : ""}`;
}

const setLine = (name: string, s: SetChange, show: (x: string) => string = esc): string | undefined =>
  s.added.length || s.removed.length ? `${name}: ${[...s.added.map((x) => `+ ${show(x)}`), ...s.removed.map((x) => `− ${show(x)}`)].join(", ")}` : undefined;

const changeLine = <T>(name: string, c: { before: T; after: T } | null, show: (x: T) => string = (x) => esc(String(x))): string | undefined =>
  c ? `${name}: ${show(c.before)} → ${show(c.after)}` : undefined;

const STATUS: Record<UserReview["status"], string> = { added: "added", adopted: "adopted (gets portal access)", changed: "changed", unchanged: "unchanged" };

function userSection(u: UserReview): string {
  const name = u.extension !== null ? `ext ${esc(u.extension)}${u.displayName ? ` · ${esc(u.displayName)}` : ""}` : esc(u.email ?? u.key);
  const email = u.extension !== null && u.email ? ` (${esc(u.email)})` : u.extension === null && u.displayName ? ` (${esc(u.displayName)})` : "";
  const none = (x: string | null) => (x === null ? "none" : esc(x));
  const lines = [
    changeLine("display name", u.rename, none),
    changeLine("access type", u.accessType),
    changeLine("tier", u.tier),
    changeLine("analytics tier", u.analyticsTier),
    setLine("add-ons", u.addOns),
    setLine("permissions", u.permissions, permissionLabel),
    setLine("UC client", u.ucClient, ucLabel),
    setLine("groups", u.groups),
    changeLine("primary group", u.primaryGroup, none),
    setLine("roles", u.roles),
    changeLine("Insights", u.insights, (x) => (x ? "enabled" : "off")),
    setLine("licences", u.licences),
  ].filter((l): l is string => l !== undefined);
  return `**${name}**${email} — ${STATUS[u.status]}\n${lines.map(item).join("\n")}\n`;
}

/** `added: ext 204 → Sales Floor (view)`: a word, not a sign (`- + …` would be a list within a list). */
function grantLine(g: GrantReview, kind: "added" | "removed" | "changed"): string {
  const access = kind === "changed" ? `${g.access.before} → ${g.access.after}` : (kind === "added" ? g.access.after : g.access.before);
  return item(`${kind}: ${g.userKey ? who(g.userKey) : esc(g.user)} → ${esc(g.workspace)} (${access})`);
}

/** Wraps a long list in `<details>` so the comment stays readable. */
function collapsible(summary: string, body: string, items: number, threshold: number): string {
  return items > threshold ? `<details><summary>${summary}</summary>\n\n${body}\n</details>\n` : body;
}

/** The review as a Markdown pull-request comment. Every section in a fixed order; empty ones are left out. */
export function renderMarkdown(r: Review): string {
  const s = r.summary;
  const out: string[] = [];
  out.push(`### Access review: ${headline(r)}\n`);
  const users = [`${s.added} added`, `${s.adopted} adopted`, `${s.changed} changed`, `${s.unchanged} unchanged`, ...(s.unmanaged !== null ? [`${s.unmanaged} not managed`] : [])];
  const verdict = [s.errors ? `❌ ${plural(s.errors, "error")}` : "✅ no errors", ...(s.warnings ? [`⚠️ ${plural(s.warnings, "warning")}`] : [])];
  out.push(`Users: ${users.join(" · ")}  \nWorkspace grants: ${s.grantsChanging} change${s.grantsChanging === 1 ? "s" : ""} · Licences over capacity: ${s.licencesOverCapacity} · ${verdict.join(" · ")}\n`);

  if (r.violations.length) {
    const lines = r.violations.map((v) =>
      item(`${v.severity === "warning" ? "⚠️ " : ""}**${v.rule}** ${esc(v.resource)}${v.path ? ` · ${code(v.path)}` : ""} — ${text(v.message)}. Fix: ${text(v.fix)}.`));
    out.push(`#### Violations\n\n${collapsible(plural(r.violations.length, "violation"), lines.join("\n") + "\n", lines.length, 30)}`);
  }

  if (r.licences.length) {
    const rows = r.licences.map((l) => {
      const after = `${l.after}${l.delta ? ` (${signed(l.delta)})` : ""}`;
      const moves = [...l.gainedBy.map((k) => `+ ${who(k)}`), ...l.lostBy.map((k) => `− ${who(k)}`)].join(", ");
      return `| ${l.key} | ${l.capacity} | ${l.before ?? "?"} | ${l.overCapacity ? `**${after}** ⚠ over capacity` : after} | ${moves} |`;
    });
    out.push(`#### Licences\n\n| licence | capacity | before | after | taken (+) and given back (−) |\n|---|--:|--:|--:|---|\n${rows.join("\n")}\n`);
  }

  if (r.users.length) {
    const body = r.users.map(userSection).join("\n");
    out.push(`#### Users\n\n${collapsible(plural(r.users.length, "user") + " change", body, r.users.length, 10)}`);
  }

  const grants = [
    ...r.grants.added.map((g) => grantLine(g, "added")),
    ...r.grants.changed.map((g) => grantLine(g, "changed")),
    ...r.grants.removed.map((g) => grantLine(g, "removed")),
  ];
  if (grants.length) out.push(`#### Workspace grants\n\n${collapsible(plural(grants.length, "grant") + " change", grants.join("\n") + "\n", grants.length, 15)}`);

  if (r.unchecked.length) out.push(`#### Rules not checked\n\nThe tenant facts do not say enough to judge: ${r.unchecked.join(", ")}.\n`);
  if (r.notes.length) out.push(`#### Notes\n\n${r.notes.map((n) => item(`${text(n)}.`)).join("\n")}\n`);
  out.push(
    "<sub>Users and grants in the tenant but not in the manifest are not managed, so they are not listed as removed. " +
    "A user taken out of a stack's manifest is revoked (PBX) or deleted (manual) by `pulumi up` when the stack's state holds it, " +
    "and a removed grant is deleted only then: the review cannot see state, so check `pulumi preview` for deletes. " +
    "“Adopted”: a PBX user with no portal access yet.</sub>\n",
  );
  return out.join("\n");
}

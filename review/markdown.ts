// The access review as a Markdown pull-request comment (GitHub's CommonMark + GFM), and its headline.
import { label } from "../schema";
import { roleLine } from "./roles";
import type { GrantReview, Review, SetChange, UserReview } from "./types";

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

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

  if (r.roles?.length) out.push(`#### Roles\n\n${r.roles.map((x) => item(text(roleLine(x)))).join("\n")}\n`);

  if (r.unchecked.length) out.push(`#### Rules not checked\n\nThe tenant facts do not say enough to judge: ${r.unchecked.join(", ")}.\n`);
  if (r.notes.length) out.push(`#### Notes\n\n${r.notes.map((n) => item(`${text(n)}.`)).join("\n")}\n`);
  out.push(
    "<sub>Users and grants in the tenant but not in the manifest are not managed, so they are not listed as removed" +
    (r.roles?.length ? " (a role's holders are the exception: Roles says whom each role removes and how many it leaves alone). " : ". ") +
    "A user taken out of a stack's manifest is revoked (PBX) or deleted (manual) by `pulumi up` when the stack's state holds it, " +
    "and a removed grant is deleted only then: the review cannot see state, so check `pulumi preview` for deletes. " +
    "“Adopted”: a PBX user with no portal access yet.</sub>\n",
  );
  return out.join("\n");
}

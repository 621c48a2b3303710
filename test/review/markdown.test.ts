// The review as GitHub shows it: the golden Markdown (and a review full of Markdown-looking names)
// rendered by markdown-it, a CommonMark renderer with GitHub's table, strikethrough and autolink
// extensions, and raw HTML as GitHub passes it (<details>, <sub>). What is checked is the HTML:
// every line a list item of its own with its text intact, the table a <table>, nothing a user
// typed turned into emphasis, a link, a mention or a tag.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { loadTenantFacts, parseManifest, parseTenantFacts } from "../../manifest";
import { type Review, renderMarkdown, reviewPlan } from "../../review";

const GOLDEN = join(__dirname, "golden");
const TENANT = join(__dirname, "fixtures", "tenant.yaml");

const md = new MarkdownIt({ html: true, linkify: true });
const render = (markdown: string) => md.render(markdown);

const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
/** The text of an HTML fragment, as a reader sees it. */
const textOf = (html: string) => decode(html.replace(/<[^>]*>/g, "")).replace(/\s+/g, " ").trim();
/** The inner HTML of every <li> (to the first </li>: a nested list shows up as a <ul> inside). */
const listItems = (html: string) => [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]);
const tables = (html: string) => [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]);
const cells = (row: string, tag: "td" | "th") => [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1]);
const rows = (table: string) => [...(table.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "").matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]);

/** List items that do not render as one item of text: empty, or holding a list, heading, quote, code block or rule. */
function listProblems(html: string): string[] {
  return listItems(html).flatMap((li) => [
    ...(textOf(li) === "" ? ["an empty list item"] : []),
    ...(/<(ul|ol|h\d|blockquote|pre|hr)\b/.test(li) ? [`a block inside a list item: ${textOf(li)}`] : []),
  ]);
}

/** The raw lines of one `#### name` section. */
function section(markdown: string, name: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(`#### ${name}`);
  expect(start, `section ${name}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && /^#{1,4} |^<sub>/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** What a Markdown list line should read as: no marker, escapes resolved, code spans and bold as their text. */
const intended = (line: string) =>
  line.replace(/^- /, "").replace(/(`+)(.*?)\1/g, (_, __, code: string) => code.replace(/\\/g, "\u0000")).replace(/\\([!-/:-@[-`{-~])/g, "$1").replace(/\*\*/g, "").replace(/\u0000/g, "\\");

describe("review Markdown rendered as GitHub does (markdown-it)", () => {
  const markdown = readFileSync(join(GOLDEN, "review.md"), "utf8");
  const json = JSON.parse(readFileSync(join(GOLDEN, "review.json"), "utf8")) as Review;
  const html = render(markdown);

  it("catches the list-in-a-list that `- + …` used to render as", () => {
    expect(listProblems(render("- + ext 204 → Sales Floor (view)\n- − ext 203 → Sales Floor (view)\n"))).toEqual(["a block inside a list item: ext 204 → Sales Floor (view)"]);
    expect(listProblems(render("- 1. first\n- # heading\n- > quote\n- \n"))).toHaveLength(4);
  });

  it("renders every list line as one list item of text, none empty and none nested", () => {
    expect(listProblems(html)).toEqual([]);
    const rawItems = markdown.split("\n").filter((l) => l.startsWith("- "));
    expect(rawItems.length).toBe(2 + 16 + 3 + 1); // violations, users' changes, grants, notes
    expect(listItems(html)).toHaveLength(rawItems.length);
  });

  it("keeps the text of every user and grant line inside an <li>", () => {
    const texts = listItems(html).map(textOf);
    const lines = [...section(markdown, "Users"), ...section(markdown, "Workspace grants")].filter((l) => l.startsWith("- "));
    expect(lines).toHaveLength(16 + 3); // the five users' changes and the three grants
    for (const line of lines) expect(texts, line).toContain(intended(line));
    expect(section(markdown, "Workspace grants").filter((l) => l.startsWith("- ")).map(intended)).toEqual([
      "added: ext 204 → Sales Floor (view)",
      "changed: ext 201 → Sales Floor (view → admin)",
      "removed: ext 203 → Sales Floor (view)",
    ]);
    expect(texts).toContain("permissions: + Supervisor Agent Control, + Recording Playback (own)");
    expect(texts).toContain("licences: + crm, − analytics");
  });

  it("names every user in bold, emails as code (no mailto links)", () => {
    const strong = [...html.matchAll(/<p><strong>([\s\S]*?)<\/strong>/g)].map((m) => textOf(m[1]));
    expect(strong).toEqual(json.users.map((u) => (u.extension !== null ? `ext ${u.extension} · ${u.displayName}` : u.email)));
    for (const u of json.users) expect(html).toContain(`<code>${u.email}</code>`);
    expect(html).not.toMatch(/<a\b/);
  });

  it("renders the licence table as a <table>, one row per licence with its five cells", () => {
    const [table, ...more] = tables(html);
    expect(more).toHaveLength(0);
    expect(cells(table, "th").map(textOf)).toEqual(["licence", "capacity", "before", "after", "taken (+) and given back (−)"]);
    const body = rows(table).map((r) => cells(r, "td"));
    expect(body.map((c) => c.length)).toEqual(json.licences.map(() => 5));
    expect(body.map((c) => textOf(c[0]))).toEqual(json.licences.map((l) => l.key));
    const crm = body.find((c) => textOf(c[0]) === "crm")!;
    expect(crm[3]).toBe("<strong>2 (+1)</strong> ⚠ over capacity");
    expect(textOf(body.find((c) => textOf(c[0]) === "analytics")![4])).toBe("+ ext 204, − ext 203");
  });

  it("keeps each violation's rule id, resource, path and fix on its line", () => {
    const violations = section(markdown, "Violations").filter((l) => l.startsWith("- "));
    expect(violations).toHaveLength(json.violations.length);
    const items = listItems(html);
    for (const v of json.violations) {
      const li = items.find((x) => x.startsWith(`<strong>${v.rule}</strong> `));
      expect(li, v.rule).toBeDefined();
      expect(textOf(li!)).toContain(`${v.rule} ${v.resource} · ${v.path} — `);
      expect(li).toContain(`<code>${v.path}</code>`);
      expect(textOf(li!)).toContain(`Fix: ${v.fix.replace(/`/g, "").replace(/\.$/, "")}.`);
    }
    // The catalogue's code spans stay code.
    expect(html).toContain("<code>websiteAccess: true</code>");
  });

  it("has one heading and its sections, the collapsible parts and the footnote as HTML", () => {
    expect([...html.matchAll(/<h3>(.*?)<\/h3>/g)].map((m) => m[1])).toEqual(["Access review: 5 users change, 3 licences change, 2 violations"]);
    expect([...html.matchAll(/<h4>(.*?)<\/h4>/g)].map((m) => m[1])).toEqual(["Violations", "Licences", "Users", "Workspace grants", "Notes"]);
    expect(html).toMatch(/<p><sub>Users and grants in the tenant[\s\S]*<\/sub><\/p>/);
    expect(html).not.toContain("&lt;");
  });
});

describe("review Markdown: long lists", () => {
  it("renders the Markdown inside <details> (users in bold, their changes as list items)", () => {
    const manifest = parseManifest(readFileSync(join(__dirname, "fixtures", "manifest.yaml"), "utf8"), "manifest.yaml", { rules: false }).manifest!;
    const many = { ...manifest, users: Array.from({ length: 12 }, (_, i) => ({ email: `p${String(i).padStart(2, "0")}@partner.example`, tier: "reports" as const })) };
    const html = render(renderMarkdown(reviewPlan(many, loadTenantFacts(TENANT).facts!)));
    const details = html.match(/<details><summary>12 users change<\/summary>([\s\S]*?)<\/details>/);
    expect(details).not.toBeNull();
    expect(details![1].match(/<p><strong><code>p\d\d@partner\.example<\/code><\/strong>/g)).toHaveLength(12);
    expect(listItems(details![1]).map(textOf)).toContain("tier: none → reports");
    expect(listProblems(html)).toEqual([]);
  });
});

describe("review Markdown: names that look like Markdown stay text", () => {
  // Every name here is valid in a manifest or a tenant; each would, unescaped, turn into emphasis,
  // strikethrough, a tag, an entity, a table cell, a mailto link or an @-mention of a GitHub user.
  const display = "Ann *Ops* _Lead_ <b>x</b> AT&amp;T | 1\\2 ~~old~~ [x](y)";
  const group = "Floor_2 *night*";
  const workspace = "Desk | <i>A</i> & B";
  const manual = "first_last+x@partner.example";
  const manualName = "@octocat #12 `code` <script>";
  const q = (s: string) => JSON.stringify(s);
  const tenantText = readFileSync(TENANT, "utf8").replace(
    "directory:\n",
    `directory:\n  - { extension: "*72", displayName: ${q(display)}, email: "ann_lee+ops@partner.example", devices: [{ id: "dev_*72*", webrtc: true }] }\n`,
  );
  const manifestText = [
    "profile: dimensions",
    `groups: [{ name: ${q(group)} }]`,
    `workspaces: [{ name: ${q(workspace)}, members: [{ user: ${q(manual)}, access: view }] }]`,
    "users:",
    `  - { extension: "*72", accessType: professional, tier: analytics, groups: [${q(group)}, "*VIP* <u>"], primaryGroup: ${q(group)}, ucClient: { softphone: { device: "dev_*72*" } } }`,
    `  - { email: ${q(manual)}, displayName: ${q(manualName)}, tier: reports }`,
    "",
  ].join("\n");

  const facts = parseTenantFacts(tenantText, "tenant.yaml");
  const manifest = parseManifest(manifestText, "hostile.yaml", { rules: false });
  const review = reviewPlan(manifest.manifest!, facts.facts!);
  const markdown = renderMarkdown(review);
  const html = render(markdown);
  const texts = listItems(html).map(textOf);

  it("parses (the fixture is valid) and breaks the rules it means to", () => {
    expect(facts.problems).toEqual([]);
    expect(manifest.problems).toEqual([]);
    expect(review.violations.map((v) => v.rule)).toEqual(["LIC-1", "GRP-1", "LIC-1", "WS-2"]);
    expect(loadTenantFacts(TENANT).facts!.directory).toHaveLength(7);
  });

  it("renders no element a name asked for: no emphasis, strikethrough, tags or links", () => {
    expect(html).not.toMatch(/<(em|del|s|b|i|u|script|a)\b/);
    expect(listProblems(html)).toEqual([]);
  });

  it("shows every name as typed", () => {
    const strong = [...html.matchAll(/<p><strong>([\s\S]*?)<\/strong>([\s\S]*?)<\/p>/g)].map((m) => textOf(m[0].slice(3, -4)));
    expect(strong).toEqual([
      `ext *72 · ${display} (ann_lee+ops@partner.example) — adopted (gets portal access)`,
      `${manual} (${manualName}) — added`,
    ]);
    expect(texts).toContain(`groups: + *VIP* <u>, + ${group}`);
    expect(texts).toContain(`primary group: none → ${group}`);
    expect(texts).toContain("UC client: + softphone on dev_*72*");
    expect(texts).toContain(`added: ${manual} → ${workspace} (view)`);
    const grp = texts.find((t) => t.startsWith("GRP-1"));
    expect(grp).toContain('group "*VIP* <u>" does not exist');
    const ws = texts.find((t) => t.startsWith("WS-2"));
    expect(ws).toContain(`WS-2 grant ${manual} → workspace ${workspace} · workspaces[0].members[0].user — ${manual} has tier "reports"`);
  });

  it("shows emails, @-names and #-references as code: no mailto link, mention or issue link", () => {
    for (const s of ["ann_lee+ops@partner.example", manual, "@octocat", "#12"]) expect(html).toContain(`<code>${s}</code>`);
    // Outside code, GitHub would notify @octocat and link issue 12.
    expect(html.replace(/<code>[\s\S]*?<\/code>/g, "")).not.toMatch(/@octocat|#12|@partner/);
  });

  it("keeps the licence table's cells whatever the names hold", () => {
    const [table] = tables(html);
    expect(tables(html)).toHaveLength(1);
    expect(rows(table).map((r) => cells(r, "td").length)).toEqual(review.licences.map(() => 5));
    const analytics = rows(table).map((r) => cells(r, "td")).find((c) => textOf(c[0]) === "analytics")!;
    expect(textOf(analytics[4])).toContain("+ ext *72");
  });
});

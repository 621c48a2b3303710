// examples/github/access-preview.yml, the CI workflow platform teams copy: what it runs on, with
// which permissions and secrets, that its `review` command line is one the real CLI accepts (and
// runs, through the package's bin, against a live platform), and, by evaluating its `if:`
// conditions the way GitHub does, that the review is posted even when it fails and that the job
// fails when the preview or the review found violations.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OPTIONS } from "../../cli/review";
import { startPlatform } from "../../platform";

const ROOT = join(__dirname, "..", "..");
const FILE = join(ROOT, "examples", "github", "access-preview.yml");

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
}
interface Job { "runs-on": string; env?: Record<string, string>; steps: Step[]; "continue-on-error"?: boolean; if?: string }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; env?: Record<string, string>; jobs: Record<string, Job> }

const raw = readFileSync(FILE, "utf8");
const workflow = parse(raw) as Workflow;
const jobs = Object.values(workflow.jobs);
const job = jobs[0];
const steps = job.steps;

/** The action's inputs as its action.yml documents them at the major version the workflow uses. */
const INPUTS: Record<string, string[]> = {
  "actions/checkout@v7": ["repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode", "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory", "github-server-url", "allow-unsafe-pr-checkout"],
  "actions/setup-node@v7": ["node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope", "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token"],
  "pulumi/actions@v7": ["command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider", "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "exclude", "exclude-dependents", "target", "target-dependents", "policyPacks", "policyPackConfigs", "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress", "always-include-summary", "continue-on-error", "log-verbosity", "log-flow", "debug"],
  "marocchino/sticky-pull-request-comment@v3": ["header", "append", "recreate", "delete", "only_create", "only_update", "hide_details", "hide", "hide_and_recreate", "hide_classify", "message", "path", "ignore_empty", "skip_unchanged", "follow_symbolic_links", "number", "number_force", "owner", "repo", "GITHUB_TOKEN"],
};

const preview = steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
const review = steps.find((s) => /\banalytics-access review\b/.test(s.run ?? ""))!;
const comment = steps.find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))!;

/** The environment a step sees: the workflow's, the job's, the step's. */
const envOf = (step: Step): Record<string, string> => ({ ...workflow.env, ...job.env, ...step.env });

/** `${{ env.X }}` resolved; any other expression left as it is. */
const resolve = (value: unknown, step: Step): string =>
  String(value).replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (_, name: string) => envOf(step)[name] ?? "");

/**
 * A run line as the shell splits it: words, "double-quoted" and 'single-quoted' parts, $VAR and
 * ${VAR} expanded from `env`. Anything beyond one simple command (pipes, lists, substitutions) is
 * refused: `… || true` would swallow the exit code the job depends on.
 */
function words(line: string, env: Record<string, string>): string[] {
  expect(line, "one simple command").not.toMatch(/[|;&<>`]|\$\(/);
  const expand = (s: string) => s.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, a?: string, b?: string) => env[(a ?? b)!] ?? "");
  return [...line.trim().matchAll(/(?:"([^"]*)"|'([^']*)'|([^\s"']+))+/g)].map((m) =>
    [...m[0].matchAll(/"([^"]*)"|'([^']*)'|([^\s"']+)/g)].map((p) => (p[2] !== undefined ? p[2] : expand(p[1] ?? p[3]))).join(""));
}

// ---------------------------------------------------------------------------------------------
// GitHub's `if:` conditions, evaluated: enough of the expression language for step conditions
// (!, &&, ||, ==, !=, parentheses, 'strings', success() failure() always() cancelled(),
// steps.<id>.outcome / .conclusion).

type Outcome = "success" | "failure" | "skipped";
interface JobState { failed: boolean; steps: Record<string, { outcome: Outcome; conclusion: Outcome }> }

function evaluate(expression: string, state: JobState): boolean {
  const src = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const tokens = src.match(/\s*('(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][\w.-]*)/g)?.map((t) => t.trim()) ?? [];
  expect(tokens.join(""), `cannot evaluate ${expression}`).toBe(src.replace(/\s+/g, ""));
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  type Value = string | boolean;
  const truthy = (v: Value) => v !== false && v !== "";
  const or = (): Value => { let v = and(); while (peek() === "||") { next(); const r = and(); v = truthy(v) ? v : r; } return v; };
  const and = (): Value => { let v = cmp(); while (peek() === "&&") { next(); const r = cmp(); v = truthy(v) ? r : v; } return v; };
  const cmp = (): Value => {
    const l = unary();
    if (peek() !== "==" && peek() !== "!=") return l;
    const op = next();
    const r = unary();
    return op === "==" ? String(l).toLowerCase() === String(r).toLowerCase() : String(l).toLowerCase() !== String(r).toLowerCase();
  };
  const unary = (): Value => (peek() === "!" ? (next(), !truthy(unary())) : primary());
  const primary = (): Value => {
    const t = next();
    if (t === "(") { const v = or(); expect(next()).toBe(")"); return v; }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (peek() === "(") {
      next();
      expect(next()).toBe(")");
      const fns: Record<string, boolean> = { success: !state.failed, failure: state.failed, always: true, cancelled: false };
      expect(Object.keys(fns), `function ${t}()`).toContain(t);
      return fns[t];
    }
    const m = t.match(/^steps\.([\w-]+)\.(outcome|conclusion)$/);
    expect(m, `unsupported reference ${t}`).not.toBeNull();
    return state.steps[m![1]]?.[m![2] as "outcome" | "conclusion"] ?? "";
  };
  const v = or();
  expect(i, `trailing tokens in ${expression}`).toBe(tokens.length);
  return truthy(v);
}

const stepKey = (s: Step) => s.id ?? s.name ?? s.run ?? s.uses!;

/** The review step's command line, split and expanded, with the endpoint variable set to `endpoint`. */
const reviewArgv = (endpoint: string) => words(review.run!, { ...envOf(review), ANALYTICS_ACCESS_ENDPOINT: endpoint });
/** Its arguments after `npx --no analytics-access review`, through the command's own parser. */
const reviewArgs = (endpoint: string) => parseArgs({ args: reviewArgv(endpoint).slice(4), options: OPTIONS, allowPositionals: true, strict: true });

/**
 * The job run with the given steps' outcomes (by id, or name or run line), every other step
 * succeeding, except that a step whose script ends in `exit 1` fails when it runs. A condition
 * without a status function gets GitHub's implicit `success() &&`.
 */
function simulate(outcomes: Record<string, "success" | "failure">): { ran: Step[]; failed: boolean; failedAt?: Step } {
  const state: JobState = { failed: false, steps: {} };
  const ran: Step[] = [];
  let failedAt: Step | undefined;
  for (const step of steps) {
    const cond = step.if === undefined ? "success()" : /\b(success|failure|always|cancelled)\(\)/.test(step.if) ? step.if : `success() && (${step.if.replace(/^\$\{\{([\s\S]*)\}\}$/, "$1")})`;
    let outcome: Outcome = "skipped";
    let conclusion: Outcome = "skipped";
    if (evaluate(cond, state)) {
      ran.push(step);
      outcome = outcomes[stepKey(step)] ?? (/\bexit 1\s*$/.test(step.run ?? "") ? "failure" : "success");
      conclusion = outcome === "failure" && step["continue-on-error"] === true ? "success" : outcome;
      if (conclusion === "failure" && !state.failed) { state.failed = true; failedAt = step; }
    }
    if (step.id) state.steps[step.id] = { outcome, conclusion };
  }
  return { ran, failed: state.failed, failedAt };
}

// ---------------------------------------------------------------------------------------------

describe("examples/github/access-preview.yml", () => {
  it("runs on pull requests only (not pull_request_target), reading contents and writing PR comments", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(jobs).toHaveLength(1);
    expect(job["continue-on-error"], "a job that may fail hides violations").toBeUndefined();
  });

  it("checks out, sets up Node 22 and installs with npm ci before anything runs", () => {
    const at = (s: Step) => steps.indexOf(s);
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"))!;
    const install = steps.find((s) => s.run?.trim() === "npm ci")!;
    expect(String(node.with?.["node-version"])).toMatch(/^22(\b|\.)/);
    const order = [checkout, node, install, preview, review, comment].map(at);
    expect(order.every((k) => k >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("uses each action's documented inputs only, at a major version tag", () => {
    for (const step of steps.filter((s) => s.uses)) {
      expect(step.uses, "owner/name@vN").toMatch(/^[\w-]+\/[\w.-]+@v\d+$/);
      expect(INPUTS[step.uses!], `inputs of ${step.uses} are known to this test`).toBeDefined();
      for (const input of Object.keys(step.with ?? {})) expect(INPUTS[step.uses!], `${step.uses} input ${input}`).toContain(input);
    }
  });

  it("previews the stack with pulumi/actions, commenting on the pull request", () => {
    expect(preview.uses).toBe("pulumi/actions@v7");
    expect(preview.with?.command).toBe("preview");
    expect(resolve(preview.with?.["stack-name"], preview)).toBe("prod");
    expect(preview.with?.["comment-on-pr"]).toBe(true);
    expect(preview.with?.["github-token"]).toBe("${{ secrets.GITHUB_TOKEN }}");
    // Pulumi Cloud, or a self-managed backend; the stack's secrets passphrase; the provider's token.
    expect(preview.env).toMatchObject({
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      ANALYTICS_ACCESS_TOKEN: "${{ secrets.ANALYTICS_ACCESS_TOKEN }}",
    });
    expect(preview.with?.["cloud-url"]).toBe("${{ vars.PULUMI_BACKEND_URL }}");
  });

  it("reviews the manifest with the same stack's overlay, against --endpoint, into --out", () => {
    expect(reviewArgv("https://portal.example").slice(0, 4)).toEqual(["npx", "--no", "analytics-access", "review"]);
    const { values, positionals } = reviewArgs("https://portal.example");
    expect(positionals).toEqual(["access.yaml"]);
    expect(values).toEqual({ overlay: "access.prod.yaml", endpoint: "https://portal.example", out: "review.md" });
    // The overlay is the previewed stack's: access.<stack>.yaml.
    const stack = resolve(preview.with?.["stack-name"], preview).split("/").pop();
    expect(values.overlay).toBe(`access.${stack}.yaml`);
  });

  it("takes every token from repository secrets, and the provider's only in the steps that use it", () => {
    expect(review.env?.ANALYTICS_ACCESS_TOKEN).toBe("${{ secrets.ANALYTICS_ACCESS_TOKEN }}");
    expect(review.env?.ANALYTICS_ACCESS_ENDPOINT).toBe("${{ vars.ANALYTICS_ACCESS_ENDPOINT }}");
    // Not in the workflow's or job's env, where npm ci's install scripts would see it.
    expect({ ...workflow.env, ...job.env }).not.toHaveProperty("ANALYTICS_ACCESS_TOKEN");
    const envs = [workflow.env, job.env, ...steps.map((s) => s.env)].flatMap((e) => Object.entries(e ?? {}));
    for (const [name, value] of envs.filter(([n]) => /TOKEN|PASSPHRASE|SECRET|PASSWORD|KEY/.test(n)))
      expect(value, name).toBe(`\${{ secrets.${name} }}`);
    // Never a token on a command line, never a literal one in the file (platform tokens start aat_).
    expect(review.run).not.toMatch(/--token\b|TOKEN/);
    expect(raw).not.toMatch(/aat_|Bearer /);
  });

  it("documents at its top every secret and variable it reads", () => {
    const header = raw.slice(0, raw.search(/^name:/m));
    const read = new Set([...raw.matchAll(/\$\{\{\s*(secrets|vars)\.(\w+)\s*\}\}/g)].map((m) => m[2]));
    expect([...read].sort()).toEqual(["ANALYTICS_ACCESS_ENDPOINT", "ANALYTICS_ACCESS_TOKEN", "GITHUB_TOKEN", "PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"]);
    for (const name of read) expect(header, name).toMatch(new RegExp(`^#\\s+${name}\\b`, "m"));
  });

  it("posts the file the review wrote, as one sticky comment", () => {
    expect(comment.uses).toBe("marocchino/sticky-pull-request-comment@v3");
    expect(comment.with?.path).toBe(reviewArgs("https://portal.example").values.out);
    expect(comment.with?.header).toBeTruthy();
    expect(comment.with?.GITHUB_TOKEN).toBe("${{ secrets.GITHUB_TOKEN }}");
  });

  it("posts the review when it finds violations, and then fails the job", () => {
    const ids = { preview: stepKey(preview), review: stepKey(review) };
    const cases: { outcomes: Record<string, "success" | "failure">; posted: boolean; failed: boolean }[] = [
      { outcomes: {}, posted: true, failed: false },
      { outcomes: { [ids.review]: "failure" }, posted: true, failed: true },
      // The usual violation: preview and review both fail on it.
      { outcomes: { [ids.preview]: "failure", [ids.review]: "failure" }, posted: true, failed: true },
      { outcomes: { [ids.preview]: "failure" }, posted: true, failed: true },
      // Nothing installed: nothing reviewed, nothing to post.
      { outcomes: { "npm ci": "failure" }, posted: false, failed: true },
    ];
    for (const c of cases) {
      const run = simulate(c.outcomes);
      expect({ posted: run.ran.includes(comment), failed: run.failed }, JSON.stringify(c.outcomes)).toEqual({ posted: c.posted, failed: c.failed });
      // Failed by a step after the comment: the preview and the review only ever record their failure.
      if (c.posted && c.failed) expect(steps.indexOf(run.failedAt!), JSON.stringify(c.outcomes)).toBeGreaterThan(steps.indexOf(comment));
    }
  });

  it("runs as written: the package's bin, in a checkout, against a live tenant; exit 1 and review.md on a violation", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
    const bin = join(ROOT, pkg.bin[reviewArgv("x")[2]]);
    expect(existsSync(bin), `${bin} is missing: npm run build`).toBe(true);

    const platform = await startPlatform({ rateLimit: false });
    try {
      const tenant = platform.createTenant({ name: "Acme", profile: "dimensions", licences: { professional: 5, analytics: 1, liveAnalytics: 1 } });
      for (const ext of ["201", "202"]) platform.addDirectoryEntry(tenant.id, { extension: ext, displayName: `User ${ext}`, email: `user${ext}@acme.example` });
      platform.createPortalUser(tenant.id, { email: "admin@acme.example", displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.workspaces"] });
      const token = platform.issueToken(tenant.id, "admin@acme.example");

      // A checkout: the manifest and the prod overlay, which gives a second user the only analytics licence.
      const dir = mkdtempSync(join(tmpdir(), "aa-workflow-"));
      const { values, positionals } = reviewArgs(platform.url);
      writeFileSync(join(dir, positionals[0]), 'profile: dimensions\nusers:\n  - { extension: "201", tier: analytics }\n');
      writeFileSync(join(dir, values.overlay as string), 'users:\n  - { extension: "202", tier: analytics }\n');

      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        // Async: the platform answers from this process.
        const env = { ...process.env, ...envOf(review), ANALYTICS_ACCESS_ENDPOINT: platform.url, ANALYTICS_ACCESS_TOKEN: token };
        execFile(process.execPath, [bin, ...reviewArgv(platform.url).slice(3)], { cwd: dir, env }, (err, stdout, stderr) =>
          done({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }));
      });
      expect(r.stderr).toBe("2 users change, 1 licence changes, 1 violation: written to review.md\n");
      expect(r.code).toBe(1);
      const out = readFileSync(join(dir, String(comment.with!.path)), "utf8");
      expect(out).toMatch(/^### Access review: 2 users change/);
      expect(out).toMatch(/^- \*\*LIC-1\*\* user ext 202 .*licence analytics/m);
    } finally {
      await platform.close();
    }
  });
});

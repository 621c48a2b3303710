import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { applyOverlay, formatProblem, loadManifest, loadOverlay } from "../manifest";
import { buildContext, inProfileFields, Manifest, type ManifestInput, membershipOf, normalizeIn, PROFILES, type TenantFacts, validateManifest, type Violation } from "../schema";
import { canonicalUser } from "./canonical";
import { Group, type OnExisting, Role, User, Workspace, WorkspaceGrant } from "./resources";
import { Session, settingsFrom } from "./session";

export interface AccessArgs {
  /** The declared access: a parsed manifest (see `loadManifest`) or the same shape built in code. */
  manifest: ManifestInput;
  /**
   * Facts about the live tenant for the plan rules. Default: read from the platform the stack is
   * configured for (analytics-access:endpoint / :token). `false` judges the manifest alone.
   */
  facts?: TenantFacts | false;
  onExisting?: OnExisting;
}

/** Every violation, one per line, with rule id, resource, path and fix: the preview's error. */
export function formatViolations(violations: readonly Violation[]): string {
  const lines = violations.map((v) => `  ${v.rule} ${v.resource} (${v.path.join(".") || "manifest"}): ${v.message}. Fix: ${v.fix}`);
  const rules = new Set(violations.map((v) => v.rule)).size;
  const count = rules === violations.length ? "" : ` (${violations.length} violations)`;
  return `the access manifest breaks ${rules} rule${rules === 1 ? "" : "s"}${count}; nothing was changed:\n${lines.join("\n")}`;
}

async function liveFacts(): Promise<TenantFacts> {
  const cfg = new pulumi.Config("analytics-access");
  const settings = settingsFrom(undefined, {
    ...process.env,
    ...(cfg.get("endpoint") ? { ANALYTICS_ACCESS_ENDPOINT: cfg.get("endpoint") } : {}),
    ...(cfg.get("token") ? { ANALYTICS_ACCESS_TOKEN: cfg.get("token") } : {}),
    ...(cfg.get("backend") ? { ANALYTICS_ACCESS_BACKEND: cfg.get("backend") } : {}),
  });
  // What a backend reads beyond these (its own keys) comes from the stack's configuration too.
  const fromEnv = settings.config;
  return new Session({ ...settings, config: (key) => cfg.get(key) ?? fromEnv?.(key) }).facts();
}

/**
 * The error that stops the program. Pulumi shows a RunError's message, never its stack; but the
 * SDK still runs util.inspect over the stack of an uncaught error, which took 18 s of garbage
 * collection per failed preview (measured under cmd/run). Without a stack it exits at once.
 */
function rejection(message: string): pulumi.RunError {
  const err = new pulumi.RunError(message);
  err.stack = undefined;
  return err;
}

/** A path as the project names it: relative ones from the project's folder (the CLI's --root-directory). */
function projectPath(file: string): string {
  const root = pulumi.runtime.getRootDirectory?.() || process.cwd();
  return path.resolve(root, file);
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9@._-]+/g, "-");

/**
 * The declared access as Pulumi resources. The whole declared set is judged by every rule, plan
 * rules included, before a single resource is registered: a bad pull request fails at preview
 * with every violation listed, and nothing is half-applied.
 */
export class Access extends pulumi.ComponentResource {
  readonly users: Record<string, User> = {};
  readonly groups: Record<string, Group> = {};
  readonly workspaces: Record<string, Workspace> = {};
  readonly grants: WorkspaceGrant[] = [];
  readonly roles: Record<string, Role> = {};

  private constructor(name: string, manifest: Manifest, facts: TenantFacts | undefined, onExisting: OnExisting | undefined, opts?: pulumi.ComponentResourceOptions) {
    super("analytics-access:index:Access", name, {}, opts);
    const parent = { parent: this };
    for (const g of manifest.groups) this.groups[g.name] = new Group(`${name}-group-${slug(g.name)}`, g, parent);
    for (const w of manifest.workspaces) {
      const { members: _m, ...spec } = w;
      this.workspaces[w.name] = new Workspace(`${name}-workspace-${slug(w.name)}`, spec, parent);
    }
    const ctx = buildContext(manifest, facts);
    const byRef = new Map<string, User>();
    for (const decl of manifest.users) {
      // Role templates are expanded here: the portal stores keys, not templates.
      const eff = normalizeIn(ctx, decl);
      const spec = inProfileFields(canonicalUser(eff), manifest.profile);
      const user = new User(`${name}-user-${slug(eff.key)}`, { ...spec, ...(onExisting ? { onExisting } : {}) }, {
        ...parent,
        dependsOn: eff.groups.map((g) => this.groups[g]).filter(Boolean),
      });
      this.users[eff.key] = user;
      if (eff.email) byRef.set(eff.email.toLowerCase(), user);
      if (eff.extension) byRef.set(eff.extension, user);
    }
    // Office@Hand and IntelePeer roles are portal entities held by users; elsewhere roles are templates.
    // A role users name without declaring it (a preset, or one made in the portal; ROLE-1 has judged
    // that it exists) gets a Role resource too, managing only its holders, always additively.
    if (PROFILES[manifest.profile].roles === "named") {
      const declared = new Map(manifest.roles.map((r) => [r.name, r] as const));
      const presets = PROFILES[manifest.profile].presetRoles ?? {};
      const named = [...declared.keys(), ...[...new Set(manifest.users.flatMap((u) => u.roles ?? []))].filter((n) => !declared.has(n)).sort()];
      for (const roleName of named) {
        const r = declared.get(roleName);
        const holders = manifest.users.filter((u) => u.roles?.includes(roleName));
        const members = holders.map((u) => (u.extension ?? u.email ?? "").toLowerCase());
        const deps = members.map((m) => byRef.get(m)).filter((d): d is User => d !== undefined);
        // A preset declared with only its name and membership (ROLE-2 allows it) manages its holders only.
        const holdersOnly = !r || Object.hasOwn(presets, roleName);
        const args = holdersOnly
          ? { name: roleName, members, membership: r?.membership ?? "additive" as const, holdersOnly: true }
          : { ...r, members, membership: membershipOf(r, manifest) };
        this.roles[roleName] = new Role(`${name}-role-${slug(roleName)}`, args, { ...parent, dependsOn: deps });
      }
    }
    for (const w of manifest.workspaces)
      for (const m of w.members ?? []) {
        const deps = [this.workspaces[w.name], byRef.get(m.user.toLowerCase()) ?? byRef.get(m.user)].filter((d): d is Workspace | User => d !== undefined);
        this.grants.push(new WorkspaceGrant(`${name}-grant-${slug(w.name)}-${slug(m.user)}`, { user: m.user, workspace: w.name, access: m.access }, { ...parent, dependsOn: deps }));
      }
    this.registerOutputs({ users: Object.keys(this.users).length, grants: this.grants.length });
  }

  /**
   * The manifest file (and a per-stack overlay), read with every problem at file:line:column,
   * then `create`. What a manifest-driven program calls. Relative paths are read from the Pulumi
   * project's folder (where Pulumi.yaml is), not from the program's: the CLI runs a program in the
   * folder of its `main`, while stack configuration names files from the project.
   */
  static async fromFiles(name: string, files: { manifest: string; overlay?: string }, args: Omit<AccessArgs, "manifest"> = {}, opts?: pulumi.ComponentResourceOptions): Promise<Access> {
    // The rules run in `create`, once, against the merged manifest and the live tenant.
    const base = loadManifest(projectPath(files.manifest), { rules: false });
    const over = files.overlay ? loadOverlay(projectPath(files.overlay)) : { overlay: {}, problems: [] };
    const problems = [...base.problems, ...over.problems].filter((p) => p.severity === "error");
    if (problems.length || !base.manifest || !over.overlay)
      throw rejection(`the access manifest cannot be read; nothing was changed:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    return Access.create(name, { ...args, manifest: applyOverlay(base.manifest, over.overlay) }, opts);
  }

  /** Validate the whole manifest against the live tenant, then declare its resources. */
  static async create(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions): Promise<Access> {
    const manifest = Manifest.parse(args.manifest);
    const facts = args.facts === false ? undefined : (args.facts ?? (await liveFacts().catch((err: Error) => {
      throw rejection(`cannot read the tenant the stack is configured for, so the plan cannot be checked; nothing was changed: ${err.message}`);
    })));
    const errors = validateManifest(manifest, facts).violations.filter((v) => v.severity === "error");
    // The program stops before registering anything.
    if (errors.length) throw rejection(formatViolations(errors));
    return new Access(name, manifest, facts, args.onExisting, opts);
  }
}

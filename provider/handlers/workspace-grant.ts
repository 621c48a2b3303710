import type * as pulumi from "@pulumi/pulumi";
import { buildContext, grantRules, userLookup, WorkspaceGrant } from "../../schema";
import type { ApiGrant } from "../api";
import { PlatformError } from "../client";
import type { Handler } from "../runtime/host";
import { configureSession, session } from "../session";
import { checkFailures, createOrAdopt, schemaFailures } from "./common";

const strip = ({ __provider: _p, grantId: _g, etag: _e, ...rest }: Record<string, unknown>) => rest;

/** Platform ids of the grant's user and workspace, by email/extension and name. */
async function resolve(g: WorkspaceGrant) {
  const s = session();
  const [users, workspaces] = await Promise.all([s.users(), s.workspaces()]);
  const ref = g.user.toLowerCase();
  const user = users.find((u) => u.email.toLowerCase() === ref || u.extension === g.user);
  const workspace = workspaces.find((w) => w.name === g.workspace);
  if (!user) throw new Error(`grant ${g.user} → ${g.workspace}: no such user in the tenant (WS-1); declare the user first`);
  if (!workspace) throw new Error(`grant ${g.user} → ${g.workspace}: no such workspace in the tenant (WS-1); declare the workspace first`);
  return { userId: user.id, workspaceId: workspace.id };
}

const outputs = (g: WorkspaceGrant, api: ApiGrant) => ({ ...g, access: api.access, grantId: api.id, etag: api.etag });

export const handler: Handler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds, news) {
    const parsed = WorkspaceGrant.safeParse(strip(news));
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const s = session();
    const facts = await s.facts();
    const ctx = buildContext({ profile: facts.profile, roles: [], groups: [], workspaces: [] }, facts);
    // A user created in the same run is not live yet: the component's plan check judged it.
    const user = userLookup(ctx.liveUsers?.values() ?? [])(parsed.data.user);
    // The workspace may be created in this run too; the component's plan check judged its existence.
    const findings = user ? grantRules(parsed.data, user, { ...ctx, declaredWorkspaces: new Set([parsed.data.workspace]) }) : [];
    const failures = checkFailures(findings);
    return failures.length ? { failures } : { inputs: parsed.data };
  },

  async diff(_id, olds, news) {
    const replaces = (["user", "workspace"] as const).filter((k) => String(olds[k]).toLowerCase() !== String(news[k]).toLowerCase());
    return { changes: replaces.length > 0 || olds.access !== news.access, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const s = session();
    const g = WorkspaceGrant.parse(strip(inputs));
    const ids = await resolve(g);
    const adopt = async (e: ApiGrant) =>
      e.access === g.access ? e : (await s.client.request<ApiGrant>("PATCH", `/workspace-grants/${e.id}`, { body: { access: g.access }, ifMatch: e.etag })).body;
    const existing = (await s.grants()).find((x) => x.userId === ids.userId && x.workspaceId === ids.workspaceId);
    const res = existing
      ? await adopt(existing)
      : await createOrAdopt(
          async () => (await s.client.request<ApiGrant>("POST", "/workspace-grants", { body: { ...ids, access: g.access } })).body,
          async (existingId) => adopt((await s.client.list<ApiGrant>("/workspace-grants")).find((x) => x.id === existingId)!),
        );
    s.invalidate("grants", "facts");
    return { id: res.id, outs: outputs(g, res) };
  },

  async read(id, props) {
    const found = (await session().grants()).find((x) => x.id === id);
    return found ? { id, props: outputs(WorkspaceGrant.parse(strip(props)), found) } : { id: "", props: {} };
  },

  async update(id, olds, news) {
    const s = session();
    const g = WorkspaceGrant.parse(strip(news));
    const res = await s.client.request<ApiGrant>("PATCH", `/workspace-grants/${id}`, { body: { access: g.access }, ifMatch: String(olds.etag) });
    s.invalidate("grants", "facts");
    return { outs: outputs(g, res.body) };
  },

  async delete(id) {
    const s = session();
    try {
      await s.client.request("DELETE", `/workspace-grants/${id}`);
    } catch (err) {
      if (!(err instanceof PlatformError && err.status === 404)) throw err;
    }
    s.invalidate("grants", "facts");
  },
};


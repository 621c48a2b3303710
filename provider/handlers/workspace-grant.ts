import type * as pulumi from "@pulumi/pulumi";
import { WorkspaceGrant } from "../../schema";
import type { ApiGrant } from "../api";
import { PlatformError } from "../client";
import type { Handler } from "../runtime/host";
import { configureSession, session } from "../session";
import { checkFailures, createOrAdopt, declarationDiff, notJudgedAtPreview, parseKnown, schemaFailures, splitUnknowns } from "./common";

const strip = ({ __provider: _p, grantId: _g, etag: _e, ...rest }: Record<string, unknown>) => rest;
const declaration = (g: WorkspaceGrant) => ({ user: g.user, workspace: g.workspace, access: g.access });
const IDENTITY = ["user", "workspace"] as const;

/**
 * Platform ids of the grant's user and workspace, by email/extension and name. One this run
 * declared but has not finished creating (no dependsOn) is waited for, bounded.
 */
async function resolve(g: WorkspaceGrant) {
  const s = session();
  const plan = await s.plan();
  const ref = g.user.toLowerCase();
  const wait = s.settings.licenceWaitMs;
  const [user, workspace] = await Promise.all([
    s.find("users", (u) => u.email.toLowerCase() === ref || u.extension === g.user, { declared: plan.user(g.user) !== undefined, waitMs: wait }),
    s.find("workspaces", (w) => w.name === g.workspace, { declared: plan.ctx.declaredWorkspaces.has(g.workspace), waitMs: wait }),
  ]);
  if (!user) throw new Error(`grant ${g.user} → ${g.workspace}: no such user in the tenant (WS-1); declare the user first`);
  if (!workspace) throw new Error(`grant ${g.user} → ${g.workspace}: no such workspace in the tenant (WS-1); declare the workspace first`);
  return { userId: user.id, workspaceId: workspace.id };
}

const outputs = (g: WorkspaceGrant, api: ApiGrant) => ({ ...declaration(g), access: api.access, grantId: api.id, etag: api.etag });

export const handler: Handler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds, news) {
    const split = splitUnknowns(strip(news));
    const { unknown, values } = split;
    const parsed = parseKnown(WorkspaceGrant, split);
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const plan = await session().plan();
    const g = parsed.data;
    if (g.user === undefined || g.workspace === undefined) {
      notJudgedAtPreview(`grant ${g.user ?? "(user)"} → ${g.workspace ?? "(workspace)"}`, unknown.filter((k) => k !== "access"), "WS-1 and WS-2");
      return { inputs: { ...g, ...values } };
    }
    // Judged against the user and workspace as this run declares them (checked before the grant,
    // which depends on them), or as the tenant holds them.
    const failures = checkFailures(plan.judgeGrant(g as WorkspaceGrant));
    return failures.length ? { failures } : { inputs: { ...g, ...values } };
  },

  async diff(_id, olds, news) {
    const before = declaration(strip(olds) as WorkspaceGrant);
    const after = strip(news) as WorkspaceGrant;
    const replaces = IDENTITY.filter((k) => String(before[k]).toLowerCase() !== String(after[k]).toLowerCase());
    return declarationDiff(before, splitUnknowns(after).unknown.length ? after : declaration(after), replaces);
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
          async (existingId) => adopt(await s.client.get<ApiGrant>(`/workspace-grants/${existingId}`)),
        );
    await s.put("grants", res);
    return { id: res.id, outs: outputs(g, res) };
  },

  async read(id, props) {
    const found = (await session().grants()).find((x) => x.id === id);
    if (!found) return { id: "", props: {} };
    const outs = outputs(WorkspaceGrant.parse(strip(props)), found);
    return { id, props: outs, inputs: declaration(outs) };
  },

  async update(id, olds, news) {
    const s = session();
    const g = WorkspaceGrant.parse(strip(news));
    const res = await s.client.request<ApiGrant>("PATCH", `/workspace-grants/${id}`, { body: { access: g.access }, ifMatch: String(olds.etag) });
    await s.put("grants", res.body);
    return { outs: outputs(g, res.body) };
  },

  async delete(id) {
    const s = session();
    try {
      await s.client.request("DELETE", `/workspace-grants/${id}`);
    } catch (err) {
      if (!(err instanceof PlatformError && err.status === 404)) throw err;
    }
    await s.remove("grants", id);
  },
};

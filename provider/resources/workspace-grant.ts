// One user's access level in one workspace.
import * as pulumi from "@pulumi/pulumi";
import { WorkspaceGrant as GrantSpec } from "../../schema";
import type { GrantRecord } from "../backends/backend";
import { providerFor } from "../runtime/stub";
import { configureSession, session } from "../session";
import { checkFailures, createOrAdopt, declarationDiff, deleteIfThere, etagOf, etagOutput, notJudgedAtPreview, parseKnown, schemaFailures, splitUnknowns } from "./common";
import { declareOutputs, defineKind, type Inputs, type KindHandler, MODULE, type Outputs, warnIfTokenIsPlain } from "./kind";

export const KIND = "workspace-grant";

/** What the portal adds to a grant: its id and version. */
export interface WorkspaceGrantComputed {
  grantId: string;
  /** Absent where the portal keeps no versions. */
  etag?: string;
}
const OUTPUTS = declareOutputs<WorkspaceGrantComputed>()({ inputs: ["user", "workspace", "access"], computed: ["grantId", "etag"] });
const strip = OUTPUTS.strip;

export type WorkspaceGrantArgs = Inputs<GrantSpec>;
/** One user's access level in one workspace. */
export interface WorkspaceGrant extends Outputs<GrantSpec & WorkspaceGrantComputed> {}
export class WorkspaceGrant extends pulumi.dynamic.Resource {
  constructor(name: string, args: WorkspaceGrantArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor(KIND), name, { ...OUTPUTS.placeholders(), ...args }, opts, MODULE, "WorkspaceGrant");
  }
}

const declaration = (g: GrantSpec) => ({ user: g.user, workspace: g.workspace, access: g.access });
const IDENTITY = ["user", "workspace"] as const;

/**
 * Platform ids of the grant's user and workspace, by email/extension and name. One this run
 * declared but has not finished creating (no dependsOn) is waited for, bounded.
 */
async function resolve(g: GrantSpec) {
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

const outputs = (g: GrantSpec, api: GrantRecord) => ({ ...declaration(g), access: api.access, grantId: api.id, ...etagOutput(api) });

export const handler: KindHandler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds, news) {
    const split = splitUnknowns(strip(news));
    const { unknown, values } = split;
    const parsed = parseKnown(GrantSpec, split);
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const plan = await session().plan();
    const g = parsed.data;
    if (g.user === undefined || g.workspace === undefined) {
      notJudgedAtPreview(`grant ${g.user ?? "(user)"} → ${g.workspace ?? "(workspace)"}`, unknown.filter((k) => k !== "access"), "WS-1 and WS-2");
      return { inputs: { ...g, ...values } };
    }
    // Judged against the user and workspace as this run declares them (checked before the grant,
    // which depends on them), or as the tenant holds them.
    const failures = checkFailures(plan.judgeGrant(g as GrantSpec));
    return failures.length ? { failures } : { inputs: { ...g, ...values } };
  },

  async diff(_id, olds, news) {
    const before = declaration(strip(olds) as GrantSpec);
    const after = strip(news) as GrantSpec;
    const replaces = IDENTITY.filter((k) => String(before[k]).toLowerCase() !== String(after[k]).toLowerCase());
    return declarationDiff(before, splitUnknowns(after).unknown.length ? after : declaration(after), replaces);
  },

  async create(inputs) {
    const s = session();
    const g = GrantSpec.parse(strip(inputs));
    const ids = await resolve(g);
    const grants = s.backend.grants;
    const adopt = async (e: GrantRecord) => (e.access === g.access ? e : grants.update(e.id, { access: g.access }, e.etag));
    const existing = (await s.grants()).find((x) => x.userId === ids.userId && x.workspaceId === ids.workspaceId);
    const res = existing
      ? await adopt(existing)
      : await createOrAdopt(
          s.backend,
          () => grants.create({ ...ids, access: g.access }),
          async (existingId) => adopt(await grants.get(existingId)),
        );
    await s.put("grants", res);
    return { id: res.id, outs: outputs(g, res) };
  },

  async read(id, props) {
    const found = await session().byId("grants", id);
    if (!found) return { id: "", props: {} };
    const outs = outputs(GrantSpec.parse(strip(props)), found);
    return { id, props: outs, inputs: declaration(outs) };
  },

  async update(id, olds, news) {
    const s = session();
    const g = GrantSpec.parse(strip(news));
    const res = await s.backend.grants.update(id, { access: g.access }, etagOf(olds));
    await s.put("grants", res);
    return { outs: outputs(g, res) };
  },

  async delete(id) {
    const s = session();
    await deleteIfThere(s.backend, () => s.backend.grants.delete(id));
    await s.remove("grants", id);
  },
};

export const definition = defineKind({ kind: KIND, resource: WorkspaceGrant, schema: GrantSpec, outputs: OUTPUTS, handler });

// A named portal role (Office@Hand report permissions, IntelePeer account scopes) and, optionally,
// who holds it.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Role as RoleSpec, type ReportPermission } from "../../schema";
import type { RoleFields, RoleRecord } from "../backends/backend";
import { providerFor } from "../runtime/stub";
import { configureSession, session } from "../session";
import { checkFailures, createOrAdopt, declarationDiff, deleteIfThere, etagOf, etagOutput, notJudgedAtPreview, parseKnown, schemaFailures, splitUnknowns } from "./common";
import { declareOutputs, defineKind, type Inputs, type KindHandler, MODULE, type Outputs, warnIfTokenIsPlain } from "./kind";

export const KIND = "role";

/**
 * A named portal role (Office@Hand report permissions, IntelePeer account scopes) and the users
 * holding it. Dimensions/Ooma have no named roles: there, roles are manifest templates.
 */
export const RoleInputs = RoleSpec.extend({
  members: z.array(z.string().min(1)).optional().meta({ description: "Emails or extensions of the users holding the role (the complete set)." }),
});
export type RoleInputs = z.infer<typeof RoleInputs>;

/** What the portal adds to a role: its id and version. */
export interface RoleComputed {
  roleId: string;
  /** Absent where the portal keeps no versions. */
  etag?: string;
}
const OUTPUTS = declareOutputs<RoleComputed>()({ inputs: ["name"], computed: ["roleId", "etag"] });
const strip = OUTPUTS.strip;

export type RoleArgs = Inputs<RoleInputs>;
/** A named portal role (Office@Hand report permissions, IntelePeer account scopes) and, optionally, who holds it. */
export interface Role extends Outputs<Pick<RoleInputs, "name"> & RoleComputed> {}
export class Role extends pulumi.dynamic.Resource {
  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor(KIND), name, { ...OUTPUTS.placeholders(), ...args }, opts, MODULE, "Role");
  }
}
const sorted = (xs: readonly string[] | undefined) => [...new Set(xs ?? [])].sort();

function canonical(r: RoleInputs): RoleInputs {
  return {
    name: r.name,
    ...(r.description ? { description: r.description } : {}),
    ...(r.reportPermissions?.length ? { reportPermissions: sorted(r.reportPermissions) as ReportPermission[] } : {}),
    ...(r.accountScopes?.length ? { accountScopes: sorted(r.accountScopes) } : {}),
    ...(r.members ? { members: sorted(r.members.map((m) => m.toLowerCase())) } : {}),
  };
}

const body = (r: RoleInputs): RoleFields => ({
  name: r.name,
  description: r.description ?? "",
  reportPermissions: r.reportPermissions ?? [],
  accountScopes: sorted(r.accountScopes),
});

/** Platform ids of the holders; one this run declared but has not finished creating is waited for, bounded. */
async function memberIds(refs: readonly string[]): Promise<string[]> {
  const s = session();
  const plan = await s.plan();
  const ids = await Promise.all(refs.map(async (ref) => {
    const u = await s.find("users", (x) => x.email.toLowerCase() === ref || x.extension === ref, { declared: plan.user(ref) !== undefined, waitMs: s.settings.licenceWaitMs });
    if (!u) throw new Error(`role member ${ref} is not a user of the tenant; declare the user first`);
    return u.id;
  }));
  return ids.sort();
}

async function outputs(api: RoleRecord, members: string[] | undefined) {
  const reportPermissions = [...api.reportPermissions].sort();
  return { ...canonical({ name: api.name, description: api.description || undefined, reportPermissions, accountScopes: api.accountScopes, members }), roleId: api.id, ...etagOutput(api) };
}

async function setMembers(api: RoleRecord, refs: string[] | undefined): Promise<void> {
  if (!refs) return; // members not managed by this resource
  await session().backend.roles.setHolders(api.id, await memberIds(refs), api.etag);
}

export const handler: KindHandler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds, news) {
    const split = splitUnknowns(strip(news));
    const { unknown, values } = split;
    const parsed = parseKnown(RoleInputs, split);
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const { members: _m, ...role } = parsed.data;
    const judged = unknown.filter((k) => k !== "members" && k !== "description");
    if (judged.length || role.name === undefined) {
      notJudgedAtPreview(`role ${role.name ?? "(name)"}`, judged, "the role's rules");
      return { inputs: { ...parsed.data, ...values } };
    }
    const failures = checkFailures((await session().plan()).judgeRole(role as RoleInputs));
    return failures.length ? { failures } : { inputs: { ...canonical(parsed.data as RoleInputs), ...values } };
  },

  async diff(_id, olds, news) {
    const after = strip(news);
    return declarationDiff(canonical(RoleInputs.parse(strip(olds))), splitUnknowns(after).unknown.length ? after : canonical(RoleInputs.parse(after)));
  },

  async create(inputs) {
    const s = session();
    const want = RoleInputs.parse(strip(inputs));
    const existing = (await s.roles()).find((r) => r.name === want.name);
    if (existing?.preset) throw new Error(`role "${want.name}" is a preset and read-only (ROLE-2); give the custom role another name`);
    const roles = s.backend.roles;
    const adopt = (e: RoleRecord) => roles.update(e.id, body(want), e.etag);
    let api = existing
      ? await adopt(existing)
      : await createOrAdopt(
          s.backend,
          () => roles.create(body(want)),
          async (existingId) => adopt(await roles.get(existingId)),
        );
    await setMembers(api, want.members?.map((m) => m.toLowerCase()));
    api = await roles.get(api.id);
    await s.put("roles", api);
    return { id: api.id, outs: await outputs(api, want.members && sorted(want.members.map((m) => m.toLowerCase()))) };
  },

  async read(id, props) {
    const s = session();
    const found = (await s.roles()).find((r) => r.id === id);
    if (!found) return { id: "", props: {} };
    let members: string[] | undefined;
    if (Array.isArray(props.members)) {
      // Only a role whose members this stack manages costs a call on refresh.
      const holders = await s.backend.roles.holders(id);
      const users = await s.users();
      // Name each holder the way the declaration does (email or extension), so an unchanged role reads back equal.
      const declared = new Set((props.members as string[]).map((m) => m.toLowerCase()));
      members = holders.map((uid) => {
        const u = users.find((x) => x.id === uid);
        if (!u) return uid;
        return u.extension !== null && declared.has(u.extension) ? u.extension : u.email.toLowerCase();
      });
    }
    const outs = await outputs(found, members);
    const { roleId: _i, etag: _e, ...inputs } = outs;
    return { id, props: outs, inputs };
  },

  async update(id, olds, news) {
    const s = session();
    const want = RoleInputs.parse(strip(news));
    let api = await s.backend.roles.update(id, body(want), etagOf(olds));
    await setMembers(api, want.members?.map((m) => m.toLowerCase()));
    api = await s.backend.roles.get(id);
    await s.put("roles", api);
    return { outs: await outputs(api, want.members && sorted(want.members.map((m) => m.toLowerCase()))) };
  },

  async delete(id) {
    const s = session();
    await deleteIfThere(s.backend, () => s.backend.roles.delete(id));
    await s.remove("roles", id);
  },
};

export const definition = defineKind({ kind: KIND, resource: Role, schema: RoleInputs, outputs: OUTPUTS, handler });

// A named portal role (Office@Hand report permissions, IntelePeer account scopes) and, optionally,
// who holds it.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Membership, Role as RoleSpec, type ReportPermission } from "../../schema";
import type { RoleFields, RoleRecord, RoleWrite } from "../backends/backend";
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
  members: z.array(z.string().min(1)).optional().meta({ description: "Emails or extensions of the users holding the role: the whole list under `membership: authoritative`, the ones this resource assigns under `additive` (the default)." }),
  holdersOnly: z.boolean().optional().meta({ description: "Manage only the holders of an existing role (a preset, or one made in the portal): never create it or change its name or permissions; Delete removes only the holders this resource listed." }),
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
const refs = (xs: readonly string[] | undefined) => sorted((xs ?? []).map((m) => m.toLowerCase()));
const membershipOf = (r: Pick<RoleInputs, "membership">): Membership => r.membership ?? "additive";

function canonical(r: RoleInputs): RoleInputs {
  return {
    name: r.name,
    ...(r.description ? { description: r.description } : {}),
    ...(r.reportPermissions?.length ? { reportPermissions: sorted(r.reportPermissions) as ReportPermission[] } : {}),
    ...(r.accountScopes?.length ? { accountScopes: sorted(r.accountScopes) } : {}),
    ...(r.members ? { members: refs(r.members), membership: membershipOf(r) } : r.membership ? { membership: r.membership } : {}),
    ...(r.holdersOnly ? { holdersOnly: true } : {}),
  };
}

const body = (r: RoleInputs): RoleFields => ({
  name: r.name,
  description: r.description ?? "",
  reportPermissions: r.reportPermissions ?? [],
  accountScopes: sorted(r.accountScopes),
});

/** A user of the tenant by the reference a role names it with (email or extension); one this run declared but has not finished creating is waited for, bounded. */
async function userId(ref: string, wait: boolean): Promise<string | undefined> {
  const s = session();
  const plan = await s.plan();
  const u = await s.find("users", (x) => x.email.toLowerCase() === ref || x.extension === ref, { declared: wait && plan.user(ref) !== undefined, waitMs: s.settings.licenceWaitMs });
  return u?.id;
}

/**
 * What a write does to a role's holders. Authoritative: the manifest is the whole list (others are
 * removed). Additive: the listed holders are added; of the others only those this resource listed
 * before and lists no more (old inputs against new) are removed; every other holder is left alone.
 */
export interface HolderChange {
  membership: Membership;
  /** References (email or extension, as declared) or, for holders the manifest does not name, the portal's name for them. */
  add: string[];
  remove: string[];
  /** Holders neither added nor removed that the manifest does not list. */
  leftAlone: number;
}

/** The holder change, in references and in portal ids. `oldRefs` is what the resource listed before (undefined on create). */
async function holderChange(roleId: string | undefined, membership: Membership, want: string[], oldRefs: string[] | undefined, forApply: boolean): Promise<{ change: HolderChange; addIds: string[]; removeIds: string[] }> {
  const s = session();
  const current = roleId ? new Set(await s.backend.roles.holders(roleId)) : new Set<string>();
  const users = await s.users();
  const nameOf = (id: string) => { const u = users.find((x) => x.id === id); return u ? (u.email.toLowerCase() || u.extension || id) : id; };
  const wantIds = new Map<string, string | undefined>();
  for (const ref of want) {
    const id = await userId(ref, forApply);
    if (!id && forApply) throw new Error(`role member ${ref} is not a user of the tenant; declare the user first`);
    wantIds.set(ref, id);
  }
  const wanted = new Set([...wantIds.values()].filter((x): x is string => x !== undefined));
  const add = want.filter((ref) => { const id = wantIds.get(ref); return id === undefined || !current.has(id); });
  const addIds = [...wantIds.values()].filter((id): id is string => id !== undefined && !current.has(id));
  let removeIds: string[];
  let removeRefs: string[];
  if (membership === "authoritative") {
    removeIds = [...current].filter((id) => !wanted.has(id));
    removeRefs = removeIds.map(nameOf);
  } else {
    const dropped = (oldRefs ?? []).filter((r) => !want.includes(r));
    removeIds = [];
    removeRefs = [];
    for (const ref of dropped) {
      const id = await userId(ref, false);
      if (id && current.has(id) && !wanted.has(id)) { removeIds.push(id); removeRefs.push(ref); }
    }
  }
  const leftAlone = [...current].filter((id) => !wanted.has(id) && !removeIds.includes(id)).length;
  return { change: { membership, add: sorted(add), remove: sorted(removeRefs), leftAlone }, addIds: sorted(addIds), removeIds: sorted(removeIds) };
}

/** A holder change in words, as the preview prints it and the review says it. */
export function describeHolderChange(role: string, c: HolderChange): string {
  const parts = [
    c.add.length ? `adds ${c.add.join(", ")}` : "",
    c.remove.length ? `removes ${c.remove.join(", ")}` : "",
    c.leftAlone ? `leaves ${c.leftAlone} other holder${c.leftAlone === 1 ? "" : "s"} alone` : "",
  ].filter(Boolean);
  return `role ${role} (${c.membership}): ${parts.join("; ") || "no holder changes"}`;
}

async function applyHolders(api: RoleRecord, want: RoleInputs, oldRefs: string[] | undefined): Promise<void> {
  if (!want.members) return; // members not managed by this resource
  const { addIds, removeIds } = await holderChange(api.id, membershipOf(want), refs(want.members), oldRefs, true);
  if (addIds.length || removeIds.length) await session().backend.roles.changeHolders(api.id, { add: addIds, remove: removeIds }, api.etag);
}

async function outputs(api: RoleRecord, want: RoleInputs) {
  const reportPermissions = [...api.reportPermissions].sort();
  const fields = want.holdersOnly
    ? { name: api.name, members: want.members, membership: want.membership, holdersOnly: true }
    : { name: api.name, description: api.description || undefined, reportPermissions, accountScopes: api.accountScopes, members: want.members, membership: want.membership };
  return { ...canonical(fields), roleId: api.id, ...etagOutput(api) };
}

/** The existing role a holders-only resource manages, by name. */
async function existingRole(name: string): Promise<RoleRecord | undefined> {
  return (await session().roles()).find((r) => r.name === name);
}

/** Whether the role's own fields (not its holders) differ from the portal's. */
const roleFieldsDiffer = (api: RoleRecord, want: RoleInputs): boolean =>
  api.name !== want.name || (api.description || undefined) !== want.description ||
  JSON.stringify([...api.reportPermissions].sort()) !== JSON.stringify([...(want.reportPermissions ?? [])].sort()) ||
  JSON.stringify([...api.accountScopes].sort()) !== JSON.stringify([...(want.accountScopes ?? [])].sort());

/**
 * The role writes this run's Checks have planned, per rate-limit group, for portals that count
 * requests per group (RingCentral): Checks run one at a time in registration order, so the last
 * line printed is the plan's total. Deletes are not checked, so not counted.
 */
const planned = new Map<string, number>();
function tallyPlannedWrites(writes: RoleWrite[]): void {
  const backend = session().backend;
  if (!backend.roleWriteGroups || !writes.length) return;
  for (const w of writes) planned.set(backend.roleWriteGroups[w], (planned.get(backend.roleWriteGroups[w]) ?? 0) + 1);
  const limits = new Map(backend.rateLimits().limits.map((l) => [l.group, l]));
  const per = [...planned].map(([g, n]) => `${g} ${n}${limits.has(g) ? ` (limit ${limits.get(g)!.limit} per ${limits.get(g)!.windowSeconds} s)` : ""}`);
  console.warn(`analytics-access: ${backend.name}: the plan's role writes so far, per rate-limit group: ${per.join(", ")}; reads come on top`);
}

const previous = (olds: Record<string, unknown>): string[] | undefined => (Array.isArray(olds.members) ? refs(olds.members as string[]) : undefined);

export const handler: KindHandler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(olds, news) {
    const split = splitUnknowns(strip(news));
    const { unknown, values } = split;
    const parsed = parseKnown(RoleInputs, split);
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const { members: _m, membership: _ms, holdersOnly, ...role } = parsed.data;
    const judged = unknown.filter((k) => k !== "members" && k !== "description");
    if (judged.length || role.name === undefined) {
      notJudgedAtPreview(`role ${role.name ?? "(name)"}`, judged, "the role's rules");
      return { inputs: { ...parsed.data, ...values } };
    }
    const s = session();
    let existing: RoleRecord | undefined;
    if (holdersOnly) {
      // Never created nor changed: the role must be there, and nothing of it but its holders is declared.
      existing = await existingRole(role.name);
      if (!existing)
        return { failures: [{ property: "name", reason: `[ROLE-1] role "${role.name}" is not declared and does not exist in the tenant. Fix: declare it under \`roles\` (the provider then creates it), or create it in the portal first; check the spelling` }] };
      const extra = (["description", "reportPermissions", "accountScopes", "tier", "permissions", "addOns"] as const).filter((k) => role[k] !== undefined);
      if (extra.length)
        return { failures: extra.map((k) => ({ property: k, reason: `[ROLE-2] role "${role.name}" is managed for its holders only (holdersOnly), so its ${k} cannot be declared. Fix: leave ${k} out, or manage the role itself without holdersOnly` })) };
    } else {
      const failures = checkFailures((await s.plan()).judgeRole(role as RoleInputs));
      if (failures.length) return { failures };
      existing = await existingRole(role.name);
    }
    const inputs = canonical(parsed.data as RoleInputs);
    const writes: RoleWrite[] = [];
    if (!holdersOnly && (!existing || roleFieldsDiffer(existing, inputs))) writes.push(existing ? "update" : "create");
    // What the holders will become, said where the preview shows it (the dynamic-provider host's output).
    if (inputs.members && !unknown.includes("members")) {
      const { change } = await holderChange(existing?.id, membershipOf(inputs), inputs.members, previous(olds), false);
      if (change.add.length || change.remove.length) {
        console.warn(`analytics-access: ${describeHolderChange(role.name, change)}`);
        writes.push("holders");
      }
    }
    tallyPlannedWrites(writes);
    return { inputs: { ...inputs, ...values } };
  },

  async diff(_id, olds, news) {
    const after = strip(news);
    return declarationDiff(canonical(RoleInputs.parse(strip(olds))), splitUnknowns(after).unknown.length ? after : canonical(RoleInputs.parse(after)));
  },

  async create(inputs) {
    const s = session();
    const want = RoleInputs.parse(strip(inputs));
    const existing = await existingRole(want.name);
    let api: RoleRecord;
    if (want.holdersOnly) {
      if (!existing) throw new Error(`role "${want.name}" does not exist in the tenant (ROLE-1); the provider manages only its holders and never creates it`);
      api = existing;
    } else {
      if (existing?.preset) throw new Error(`role "${want.name}" is a preset and read-only (ROLE-2); give the custom role another name`);
      const roles = s.backend.roles;
      const adopt = (e: RoleRecord) => roles.update(e.id, body(want), e.etag);
      api = existing
        ? await adopt(existing)
        : await createOrAdopt(
            s.backend,
            () => roles.create(body(want)),
            async (existingId) => adopt(await roles.get(existingId)),
          );
    }
    await applyHolders(api, want, undefined);
    api = await s.backend.roles.get(api.id);
    await s.put("roles", api);
    return { id: api.id, outs: await outputs(api, canonical(want)) };
  },

  async read(id, props) {
    const s = session();
    const found = (await s.roles()).find((r) => r.id === id);
    if (!found) return { id: "", props: {} };
    let members: string[] | undefined;
    const declaredMembers = Array.isArray(props.members) ? refs(props.members as string[]) : undefined;
    if (declaredMembers) {
      // Only a role whose members this stack manages costs a call on refresh.
      const holders = await s.backend.roles.holders(id);
      const users = await s.users();
      // Name each holder the way the declaration does (email or extension), so an unchanged role reads back equal.
      const declared = new Set(declaredMembers);
      const named = holders.map((uid) => {
        const u = users.find((x) => x.id === uid);
        if (!u) return uid;
        return u.extension !== null && declared.has(u.extension) ? u.extension : u.email.toLowerCase();
      });
      // Additive: holders the manifest does not list are not this resource's, so they are no drift.
      members = membershipOf(props as RoleInputs) === "authoritative" ? named : named.filter((m) => declared.has(m));
    }
    const want = { name: found.name, members, membership: props.membership as Membership | undefined, holdersOnly: props.holdersOnly === true } as RoleInputs;
    const outs = await outputs(found, want);
    const { roleId: _i, etag: _e, ...inputs } = outs;
    return { id, props: outs, inputs };
  },

  async update(id, olds, news) {
    const s = session();
    const want = RoleInputs.parse(strip(news));
    let api = want.holdersOnly ? await s.backend.roles.get(id) : await s.backend.roles.update(id, body(want), etagOf(olds));
    await applyHolders(api, want, previous(olds));
    api = await s.backend.roles.get(id);
    await s.put("roles", api);
    return { outs: await outputs(api, canonical(want)) };
  },

  async delete(id, props) {
    const s = session();
    if (props.holdersOnly === true) {
      // The role is the portal's: only the holders this resource listed are taken away.
      const listed = previous(props) ?? [];
      const current = new Set(await s.backend.roles.holders(id).catch((err) => { if (s.backend.refusal(err)?.kind === "gone") return []; throw err; }));
      const ids: string[] = [];
      for (const ref of listed) {
        const uid = await userId(ref, false);
        if (uid && current.has(uid)) ids.push(uid);
      }
      if (ids.length) await deleteIfThere(s.backend, () => s.backend.roles.changeHolders(id, { add: [], remove: sorted(ids) }));
      return;
    }
    await deleteIfThere(s.backend, () => s.backend.roles.delete(id));
    await s.remove("roles", id);
  },
};

export const definition = defineKind({ kind: KIND, resource: Role, schema: RoleInputs, outputs: OUTPUTS, handler });

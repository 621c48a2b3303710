// A portal user: licences, supervisor tier, permissions, UC clients, groups and roles. PBX users
// are adopted from the phone system and revoked, never deleted; manual users are created (or
// adopted by email).
import * as pulumi from "@pulumi/pulumi";
import { describeUser, IDENTITY_FIELDS, inProfileFields, User as UserSpec } from "../../schema";
import type { UserCreate, UserFields, UserRecord } from "../backends/backend";
import { canonicalUser } from "../canonical";
import type { Plan } from "../plan";
import { providerFor } from "../runtime/stub";
import { configureSession, session } from "../session";
import { checkFailures, createOrAdopt, declarationDiff, etagOf, etagOutput, notApplied, notJudgedAtPreview, schemaFailures, splitUnknowns, withLicenceWait } from "./common";
import { declareOutputs, defineKind, type Inputs, type KindHandler, MODULE, type Outputs, warnIfTokenIsPlain } from "./kind";

export const KIND = "user";

/** What the portal adds to a user: its id, its version and the keys it holds. */
export interface UserComputed {
  userId: string;
  /** Absent where the portal keeps no versions. */
  etag?: string;
  /** The keys the platform holds, server-computed ones (Real-Time) included. */
  roleKeys: string[];
}
const OUTPUTS = declareOutputs<UserComputed>()({ inputs: IDENTITY_FIELDS, computed: ["userId", "etag", "roleKeys"] });

export type UserArgs = Inputs<UserSpec> & {
  /** When a manual user with this email already exists: adopt it (default) or fail. PBX users are always adopted. */
  onExisting?: pulumi.Input<OnExisting>;
};

interface UserIdentity extends Pick<UserSpec, Exclude<(typeof IDENTITY_FIELDS)[number], "email">> {
  /** The login email; a PBX user's comes from the phone system's directory. What grants and roles name the user by. */
  email: string;
}
/** A portal user. PBX users are adopted from the phone system and revoked, never deleted. */
export interface User extends Outputs<UserIdentity & UserComputed> {}
export class User extends pulumi.dynamic.Resource {
  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor(KIND), name, { ...OUTPUTS.placeholders(), ...args }, opts, MODULE, "User");
  }
}

/** What a User resource stores: the canonical declaration plus the platform's id and version. */
export interface UserOutputs extends UserSpec, UserComputed {
  onExisting: OnExisting;
}

/** What Create does when the user already exists by natural key. PBX users are always adopted. */
export type OnExisting = "adopt" | "fail";

const declarationOf = (props: Record<string, unknown>): { decl: Record<string, unknown>; onExisting: OnExisting } => {
  const { onExisting, ...decl } = OUTPUTS.strip(props);
  return { decl, onExisting: onExisting === "fail" ? "fail" : "adopt" };
};

/** The declaration as Check returns it and Read reads it back: canonical, in the profile's terms. */
const canonical = (plan: Plan, decl: UserSpec): UserSpec => inProfileFields(canonicalUser(plan.effective(decl)), plan.facts.profile);

/** The portal's fields for a user: its keys (the backend's vocabulary), softphone and memberships (group names → ids). */
async function body(plan: Plan, decl: UserSpec): Promise<Body> {
  const s = session();
  const eff = plan.effective(decl);
  const groupId = async (name: string) => {
    // A group this run creates may still be on its way when the user has no dependsOn on it.
    const g = await s.find("groups", (x) => x.name === name, { declared: plan.ctx.declaredGroups.has(name), waitMs: s.settings.licenceWaitMs });
    if (!g) throw new Error(`group "${name}" does not exist in the tenant (GRP-1); declare it, or create it before the user`);
    return g.id;
  };
  return {
    ...(eff.origin === "manual" ? { displayName: (eff.displayName ?? eff.email) as string, email: eff.email as string } : {}),
    roles: s.backend.users.keysOf(eff),
    softphoneDevice: eff.ucClient.softphone?.device ?? null,
    groups: await Promise.all(eff.groups.map(groupId)),
    primaryGroup: eff.primaryGroup ? await groupId(eff.primaryGroup) : null,
  };
}
type Body = UserFields;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What state holds: the platform's user as a canonical declaration, with its id and version. */
async function outputsOf(plan: Plan, api: UserRecord, onExisting: OnExisting): Promise<UserOutputs> {
  const s = session();
  return { ...canonical(plan, s.backend.users.declarationOf(api, await s.groupNames())), onExisting, userId: api.id, ...etagOutput(api), roleKeys: [...api.roles].sort() };
}

/** After a write: the tenant as the rest of this run sees it, and a check that the platform carried the write out. */
async function written(plan: Plan, user: UserSpec, api: UserRecord, sent: Partial<Body>): Promise<UserRecord> {
  const s = session();
  await s.put("users", api);
  const got = s.backend.users.declarationOf(api, await s.groupNames());
  plan.userWritten(got);
  const missed = notApplied(sent, await body(plan, got));
  if (missed.length) throw new Error(`${describeUser(user)}: the platform accepted the change but does not hold it (${missed.join(", ")}); nothing else was changed for this user. Run \`pulumi refresh\` to see what the portal holds`);
  return api;
}

/** Fields whose change means another portal user, not an update. */
const IDENTITY = ["origin", "extension"] as const;

async function patch(plan: Plan, user: UserSpec, id: string, etag: string | undefined, changes: Partial<Body>): Promise<UserRecord> {
  const s = session();
  const res = await withLicenceWait(s.backend, s.settings.licenceWaitMs, () => s.backend.users.update(id, changes, etag));
  return written(plan, user, res, changes);
}

/**
 * PATCH with If-Match. On 412 the current user decides: our own write already landed (a retried
 * request whose answer was lost) → done; someone changed other fields → apply on top of theirs;
 * someone changed the fields this write changes (`previous` differs) → fail and say what changed.
 */
async function patchUser(plan: Plan, user: UserSpec, id: string, etag: string | undefined, changes: Partial<Body>, previous: Body | undefined): Promise<UserRecord> {
  try {
    return await patch(plan, user, id, etag, changes);
  } catch (err) {
    const s = session();
    if (s.backend.refusal(err)?.kind !== "stale") throw err;
    const current = await s.backend.users.get(id);
    const now = await body(plan, s.backend.users.declarationOf(current, await s.groupNames()));
    const pending = (Object.keys(changes) as (keyof Body)[]).filter((k) => !same(now[k], changes[k]));
    if (pending.length === 0) return written(plan, user, current, changes);
    const conflicting = previous ? pending.filter((k) => !same(now[k], previous[k])) : [];
    if (conflicting.length)
      throw new Error(`${describeUser(user)} was changed outside Pulumi (${conflicting.join(", ")}) since the last refresh, and this update changes the same fields; run \`pulumi refresh\` to see the change, then \`pulumi up\` again`);
    return patch(plan, user, id, current.etag, Object.fromEntries(pending.map((k) => [k, changes[k]])));
  }
}

export const handler: KindHandler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const { decl, onExisting } = declarationOf(news);
    const { known, unknown, values } = splitUnknowns(decl);
    const parsed = UserSpec.safeParse(known);
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const plan = await session().plan();
    if (unknown.length) {
      notJudgedAtPreview(describeUser(parsed.data), unknown, "the user's rules");
      return { inputs: { ...canonical(plan, parsed.data), ...values, onExisting } };
    }
    // Every rule one user can be judged on, against the tenant and what this run declared before it
    // (MAIL-1, BILL-1 and AUTH-1 included). Licence counts need the whole plan: `Access` judges those.
    const failures = checkFailures(plan.judgeUser(parsed.data));
    if (failures.length) return { failures };
    // What this portal's backend says of the user (keys it cannot write, assumptions, charges).
    const s = session();
    if (s.backend.users.preview) {
      const eff = plan.effective(parsed.data);
      const live = await s.userByKey(eff);
      const said = s.backend.users.preview(eff, live);
      for (const w of said.warnings) console.warn(`analytics-access: ${w}`);
      if (said.failures.length) return { failures: said.failures };
    }
    // In the profile's terms (an Office@Hand user has no tier to declare: PROF-1), with what the
    // directory knows filled in, so the preview shows a PBX user's email and outputs carry it.
    return { inputs: { ...canonical(plan, parsed.data), onExisting } };
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    const before = declarationOf(olds).decl as UserSpec;
    const after = declarationOf(news).decl as UserSpec;
    const replaces = IDENTITY.filter((k) => !same(before[k], after[k]));
    if (splitUnknowns(after).unknown.length) return declarationDiff(before, after, replaces);
    const plan = await session().readingPlan();
    return declarationDiff(canonical(plan, before), canonical(plan, after), replaces);
  },

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const s = session();
    const plan = await s.plan();
    const { decl, onExisting } = declarationOf(inputs);
    const user = UserSpec.parse(decl);
    const eff = plan.effective(user);
    const existing = await s.userByKey(eff);
    const adopt = async (found: UserRecord) => {
      if (found.origin !== eff.origin)
        throw new Error(`${describeUser(user)}: the tenant already has a ${found.origin} user ${found.id} with this email; declare it as such or pick another email (MAIL-1)`);
      if (eff.origin === "manual" && onExisting === "fail")
        throw new Error(`${describeUser(user)} already exists in the tenant as ${found.id}; set onExisting: adopt to bring it under management`);
      const patched = await patchUser(plan, user, found.id, found.etag, await body(plan, user), undefined);
      return { id: patched.id, outs: await outputsOf(plan, patched, onExisting) };
    };
    if (existing) return adopt(existing);
    if (eff.origin === "pbx")
      throw new Error(`${describeUser(user)}: extension ${eff.extension} is not a user of the tenant; PBX users come from the phone system and cannot be created (SRC-3)`);
    return createOrAdopt(
      s.backend,
      async () => {
        const sent = await body(plan, user);
        const res = await withLicenceWait(s.backend, s.settings.licenceWaitMs, () => s.backend.users.create(sent as UserCreate));
        return { id: res.id, outs: await outputsOf(plan, await written(plan, user, res, sent), onExisting) };
      },
      async (existingId) => adopt(await s.backend.users.get(existingId)),
    );
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const s = session();
    const found = await s.byId("users", id);
    if (!found) return { id: "", props: {} }; // gone: Pulumi drops it from state
    const outs = await outputsOf(await s.readingPlan(), found, declarationOf(props).onExisting);
    // The platform as a declaration is also the resource's inputs after a refresh: the next `up`
    // diffs the program against it (drift is put back) and `ignoreChanges` keeps what it names.
    const { userId: _i, etag: _e, roleKeys: _k, ...inputs } = outs;
    return { id, props: outs, inputs };
  },

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    const plan = await session().plan();
    const { decl, onExisting } = declarationOf(news);
    const user = UserSpec.parse(decl);
    const desired = await body(plan, user);
    const previous = await body(plan, UserSpec.parse(declarationOf(olds).decl));
    // Send only what this update changes, so an out-of-band change to another field survives.
    const changes = Object.fromEntries(Object.entries(desired).filter(([k, v]) => !same(v, previous[k as keyof Body])));
    const updated = await patchUser(plan, user, id, etagOf(olds), changes, previous);
    return { outs: await outputsOf(plan, updated, onExisting) };
  },

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const s = session();
    const plan = await s.plan();
    // The token acts as a portal user: deleting or revoking that user would lock this stack (and
    // whoever shares the token) out of the portal halfway through the run.
    const own = (await s.credential())?.email?.toLowerCase();
    if (own && String(props.email ?? "").toLowerCase() === own)
      throw new Error(`${describeUser(UserSpec.parse(declarationOf(props).decl))} is the user the stack's token belongs to; removing it would lock the stack out of the portal. Keep it in the manifest, or take it out of the stack's state with \`pulumi state delete <urn>\` to leave it alone`);
    try {
      // PBX users come from the phone system: removing them from the manifest revokes portal access.
      if (props.origin === "pbx") {
        const revoked = await s.backend.users.revoke(id);
        await s.put("users", revoked);
        plan.userWritten(s.backend.users.declarationOf(revoked, await s.groupNames()));
        return;
      }
      await s.backend.users.delete(id);
    } catch (err) {
      if (s.backend.refusal(err)?.kind !== "gone") throw err; // already gone
    }
    await s.remove("users", id);
    plan.userRemoved(plan.effective(UserSpec.parse(declarationOf(props).decl)).key);
  },
};

export const definition = defineKind({ kind: KIND, resource: User, schema: UserSpec, outputs: OUTPUTS, handler });

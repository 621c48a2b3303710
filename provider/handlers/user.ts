import type * as pulumi from "@pulumi/pulumi";
import { describeUser, inProfileFields, User } from "../../schema";
import type { ApiUser } from "../api";
import { canonicalUser } from "../canonical";
import { PlatformError } from "../client";
import { roleKeys, userFromApi } from "../keys";
import type { Plan } from "../plan";
import type { Handler } from "../runtime/host";
import { configureSession, session } from "../session";
import { checkFailures, createOrAdopt, declarationDiff, notApplied, notJudgedAtPreview, schemaFailures, splitUnknowns, withLicenceWait } from "./common";

/** What a User resource stores: the canonical declaration plus the platform's id and version. */
export interface UserOutputs extends User {
  onExisting: OnExisting;
  userId: string;
  etag: string;
  /** The keys the platform holds, server-computed ones (Real-Time) included. */
  roleKeys: string[];
}

/** What Create does when the user already exists by natural key. PBX users are always adopted. */
export type OnExisting = "adopt" | "fail";

const declarationOf = (props: Record<string, unknown>): { decl: Record<string, unknown>; onExisting: OnExisting } => {
  const { __provider: _p, onExisting, userId: _i, etag: _e, roleKeys: _k, ...decl } = props;
  return { decl, onExisting: onExisting === "fail" ? "fail" : "adopt" };
};

/** The declaration as Check returns it and Read reads it back: canonical, in the profile's terms. */
const canonical = (plan: Plan, decl: User): User => inProfileFields(canonicalUser(plan.effective(decl)), plan.facts.profile);

/** The platform's body for a user: role keys, softphone and memberships (group names → ids). */
async function body(plan: Plan, decl: User) {
  const s = session();
  const eff = plan.effective(decl);
  const groupId = async (name: string) => {
    // A group this run creates may still be on its way when the user has no dependsOn on it.
    const g = await s.find("groups", (x) => x.name === name, { declared: plan.ctx.declaredGroups.has(name), waitMs: s.settings.licenceWaitMs });
    if (!g) throw new Error(`group "${name}" does not exist in the tenant (GRP-1); declare it, or create it before the user`);
    return g.id;
  };
  return {
    ...(eff.origin === "manual" ? { displayName: eff.displayName ?? eff.email, email: eff.email } : {}),
    roles: roleKeys(eff),
    softphoneDevice: eff.ucClient.softphone?.device ?? null,
    groups: await Promise.all(eff.groups.map(groupId)),
    primaryGroup: eff.primaryGroup ? await groupId(eff.primaryGroup) : null,
  };
}
type Body = Awaited<ReturnType<typeof body>>;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What state holds: the platform's user as a canonical declaration, with its id and version. */
async function outputsOf(plan: Plan, api: ApiUser, onExisting: OnExisting): Promise<UserOutputs> {
  return { ...canonical(plan, userFromApi(api, await session().groupNames())), onExisting, userId: api.id, etag: api.etag, roleKeys: [...api.roles].sort() };
}

/** After a write: the tenant as the rest of this run sees it, and a check that the platform carried the write out. */
async function written(plan: Plan, user: User, api: ApiUser, sent: Partial<Body>): Promise<ApiUser> {
  const s = session();
  await s.put("users", api);
  const got = userFromApi(api, await s.groupNames());
  plan.userWritten(got);
  const missed = notApplied(sent, await body(plan, got));
  if (missed.length) throw new Error(`${describeUser(user)}: the platform accepted the change but does not hold it (${missed.join(", ")}); nothing else was changed for this user. Run \`pulumi refresh\` to see what the portal holds`);
  return api;
}

/** Fields whose change means another portal user, not an update. */
const IDENTITY = ["origin", "extension"] as const;

async function patch(plan: Plan, user: User, id: string, etag: string, changes: Partial<Body>): Promise<ApiUser> {
  const s = session();
  const res = await withLicenceWait(s.settings.licenceWaitMs, () => s.client.request<ApiUser>("PATCH", `/users/${encodeURIComponent(id)}`, { body: changes, ifMatch: etag }));
  return written(plan, user, res.body, changes);
}

/**
 * PATCH with If-Match. On 412 the current user decides: our own write already landed (a retried
 * request whose answer was lost) → done; someone changed other fields → apply on top of theirs;
 * someone changed the fields this write changes (`previous` differs) → fail and say what changed.
 */
async function patchUser(plan: Plan, user: User, id: string, etag: string, changes: Partial<Body>, previous: Body | undefined): Promise<ApiUser> {
  try {
    return await patch(plan, user, id, etag, changes);
  } catch (err) {
    if (!(err instanceof PlatformError) || err.status !== 412) throw err;
    const s = session();
    const current = await s.client.get<ApiUser>(`/users/${encodeURIComponent(id)}`);
    const now = await body(plan, userFromApi(current, await s.groupNames()));
    const pending = (Object.keys(changes) as (keyof Body)[]).filter((k) => !same(now[k], changes[k]));
    if (pending.length === 0) return written(plan, user, current, changes);
    const conflicting = previous ? pending.filter((k) => !same(now[k], previous[k])) : [];
    if (conflicting.length)
      throw new Error(`${describeUser(user)} was changed outside Pulumi (${conflicting.join(", ")}) since the last refresh, and this update changes the same fields; run \`pulumi refresh\` to see the change, then \`pulumi up\` again`);
    return patch(plan, user, id, current.etag, Object.fromEntries(pending.map((k) => [k, changes[k]])));
  }
}

export const handler: Handler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const { decl, onExisting } = declarationOf(news);
    const { known, unknown, values } = splitUnknowns(decl);
    const parsed = User.safeParse(known);
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
    // In the profile's terms (an Office@Hand user has no tier to declare: PROF-1), with what the
    // directory knows filled in, so the preview shows a PBX user's email and outputs carry it.
    return { inputs: { ...canonical(plan, parsed.data), onExisting } };
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    const before = declarationOf(olds).decl as User;
    const after = declarationOf(news).decl as User;
    const replaces = IDENTITY.filter((k) => !same(before[k], after[k]));
    if (splitUnknowns(after).unknown.length) return declarationDiff(before, after, replaces);
    const plan = await session().readingPlan();
    return declarationDiff(canonical(plan, before), canonical(plan, after), replaces);
  },

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const s = session();
    const plan = await s.plan();
    const { decl, onExisting } = declarationOf(inputs);
    const user = User.parse(decl);
    const eff = plan.effective(user);
    const existing = (await s.users()).find((u) =>
      eff.origin === "pbx" ? u.origin === "pbx" && u.extension === eff.extension : u.email.toLowerCase() === (eff.email ?? "").toLowerCase(),
    );
    const adopt = async (found: ApiUser) => {
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
      async () => {
        const sent = { origin: "manual", ...(await body(plan, user)) };
        const res = await withLicenceWait(s.settings.licenceWaitMs, () => s.client.request<ApiUser>("POST", "/users", { body: sent }));
        const { origin: _o, ...applied } = sent;
        return { id: res.body.id, outs: await outputsOf(plan, await written(plan, user, res.body, applied), onExisting) };
      },
      async (existingId) => adopt(await s.client.get<ApiUser>(`/users/${encodeURIComponent(existingId)}`)),
    );
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const s = session();
    const found = (await s.users()).find((u) => u.id === id);
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
    const user = User.parse(decl);
    const desired = await body(plan, user);
    const previous = await body(plan, User.parse(declarationOf(olds).decl));
    // Send only what this update changes, so an out-of-band change to another field survives.
    const changes = Object.fromEntries(Object.entries(desired).filter(([k, v]) => !same(v, previous[k as keyof Body])));
    const updated = await patchUser(plan, user, id, String(olds.etag), changes, previous);
    return { outs: await outputsOf(plan, updated, onExisting) };
  },

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const s = session();
    const plan = await s.plan();
    try {
      // PBX users come from the phone system: removing them from the manifest revokes portal access.
      if (props.origin === "pbx") {
        const revoked = await s.client.request<ApiUser>("POST", `/users/${encodeURIComponent(id)}/revoke`);
        await s.put("users", revoked.body);
        plan.userWritten(userFromApi(revoked.body, await s.groupNames()));
        return;
      }
      await s.client.request("DELETE", `/users/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!(err instanceof PlatformError && err.status === 404)) throw err; // 404: already gone
    }
    await s.remove("users", id);
    plan.userRemoved(plan.effective(User.parse(declarationOf(props).decl)).key);
  },
};

import type * as pulumi from "@pulumi/pulumi";
import { buildContext, describeUser, inProfileFields, normalizeIn, normalizeUser, User, type TenantFacts, validateManifest } from "../../schema";
import type { ApiUser } from "../api";
import { PlatformError } from "../client";
import { canonicalUser } from "../canonical";
import { roleKeys, userFromApi } from "../keys";
import { checkFailures, createOrAdopt, schemaFailures, UNKNOWN, withLicenceWait } from "./common";
import { configureSession, session } from "../session";
import type { Handler } from "../runtime/host";

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

function effective(decl: User, facts: TenantFacts) {
  const ctx = buildContext({ profile: facts.profile, roles: [], groups: [], workspaces: [] }, facts);
  return { ctx, eff: normalizeIn(ctx, decl) };
}

/** The platform's body for a user: role keys, softphone and memberships (group names → ids). */
async function body(decl: User, facts: TenantFacts) {
  const { eff } = effective(decl, facts);
  const groups = await session().groups();
  const id = (name: string) => {
    const g = groups.find((x) => x.name === name);
    if (!g) throw new Error(`group "${name}" does not exist in the tenant (GRP-1); declare it, or create it before the user`);
    return g.id;
  };
  return {
    ...(eff.origin === "manual" ? { displayName: eff.displayName ?? eff.email, email: eff.email } : {}),
    roles: roleKeys(eff),
    softphoneDevice: eff.ucClient.softphone?.device ?? null,
    groups: eff.groups.map(id),
    primaryGroup: eff.primaryGroup ? id(eff.primaryGroup) : null,
  };
}

/** What state holds: the platform's user as a canonical declaration, with its id and version. */
function outputsOf(api: ApiUser, onExisting: OnExisting, groupName: (id: string) => string): UserOutputs {
  // The platform's roles already hold what it assigns by itself (Agent, Website Access): no tenant facts needed.
  const current = normalizeUser(userFromApi(api, groupName));
  return { ...canonicalUser(current), onExisting, userId: api.id, etag: api.etag, roleKeys: [...api.roles].sort() };
}

/** Fields whose change means another portal user, not an update. */
const IDENTITY = ["origin", "extension"] as const;

type Body = Awaited<ReturnType<typeof body>>;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

async function write(id: string, etag: string, patch: Partial<Body>): Promise<ApiUser> {
  const s = session();
  const res = await withLicenceWait(s.settings.licenceWaitMs, () =>
    s.client.request<ApiUser>("PATCH", `/users/${encodeURIComponent(id)}`, { body: patch, ifMatch: etag }),
  );
  s.invalidate("users", "facts");
  return res.body;
}

/**
 * PATCH with If-Match. On 412 the current user decides: our own write already landed (a retried
 * request whose answer was lost) → done; someone changed other fields → apply on top of theirs;
 * someone changed the fields this write changes (`previous` differs) → fail and say what changed.
 */
async function patchUser(id: string, etag: string, patch: Partial<Body>, previous: Body | undefined, user: User, facts: TenantFacts): Promise<ApiUser> {
  try {
    return await write(id, etag, patch);
  } catch (err) {
    if (!(err instanceof PlatformError) || err.status !== 412) throw err;
    const current = await session().client.get<ApiUser>(`/users/${encodeURIComponent(id)}`);
    const now = await body(userFromApi(current, await session().groupNames()), facts);
    const pending = (Object.keys(patch) as (keyof Body)[]).filter((k) => !same(now[k], patch[k]));
    if (pending.length === 0) return current;
    const conflicting = previous ? pending.filter((k) => !same(now[k], previous[k])) : [];
    if (conflicting.length)
      throw new Error(`${describeUser(user)} was changed outside Pulumi (${conflicting.join(", ")}) since the last refresh, and this update changes the same fields; run \`pulumi refresh\` to see the change, then \`pulumi up\` again`);
    return write(id, current.etag, Object.fromEntries(pending.map((k) => [k, patch[k]])));
  }
}

export const handler: Handler = {
  configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),

  async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const { decl, onExisting } = declarationOf(news);
    if (JSON.stringify(decl).includes(UNKNOWN)) return { inputs: news }; // judged again once known, at up
    const parsed = User.safeParse(decl);
    if (!parsed.success) return { failures: schemaFailures(parsed.error) };
    const facts = await session().facts();
    // Every rule one user can be judged on alone, against the live tenant (MAIL-1, BILL-1 and
    // AUTH-1 included). Licence counts need the whole plan: the Access component judges those.
    const alone = validateManifest({ version: 1, profile: facts.profile, users: [parsed.data], groups: [], workspaces: [], roles: [] }, facts);
    const judged = alone.violations.filter((v) => v.rule !== "LIC-1").map((v) => ({ ...v, path: v.path.slice(2) })); // drop "users.0"
    const failures = checkFailures(judged);
    if (failures.length) return { failures };
    const { eff } = effective(parsed.data, facts);
    // In the profile's terms: an Office@Hand user has no tier or permissions to declare (PROF-1).
    return { inputs: { ...inProfileFields(canonicalUser(eff), facts.profile), onExisting } };
  },

  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    const before = declarationOf(olds).decl as User;
    const after = declarationOf(news).decl as User;
    const replaces = IDENTITY.filter((k) => before[k] !== after[k]);
    const changed = JSON.stringify(canonicalOrder(before)) !== JSON.stringify(canonicalOrder(after));
    return { changes: changed || replaces.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const s = session();
    const { decl, onExisting } = declarationOf(inputs);
    const user = User.parse(decl);
    const facts = await s.facts();
    const { eff } = effective(user, facts);
    const existing = (await s.users()).find((u) =>
      eff.origin === "pbx" ? u.origin === "pbx" && u.extension === eff.extension : u.email.toLowerCase() === (eff.email ?? "").toLowerCase(),
    );
    const adopt = async (found: ApiUser) => {
      if (found.origin !== eff.origin)
        throw new Error(`${describeUser(user)}: the tenant already has a ${found.origin} user ${found.id} with this email; declare it as such or pick another email (MAIL-1)`);
      if (eff.origin === "manual" && onExisting === "fail")
        throw new Error(`${describeUser(user)} already exists in the tenant as ${found.id}; set onExisting: adopt to bring it under management`);
      const patched = await patchUser(found.id, found.etag, await body(user, facts), undefined, user, facts);
      return { id: patched.id, outs: outputsOf(patched, onExisting, await s.groupNames()) };
    };
    if (existing) return adopt(existing);
    if (eff.origin === "pbx")
      throw new Error(`${describeUser(user)}: extension ${eff.extension} is not a user of the tenant; PBX users come from the phone system and cannot be created (SRC-3)`);
    return createOrAdopt(
      async () => {
        const res = await withLicenceWait(s.settings.licenceWaitMs, async () =>
          s.client.request<ApiUser>("POST", "/users", { body: { origin: "manual", ...(await body(user, facts)) } }),
        );
        s.invalidate("users", "facts");
        return { id: res.body.id, outs: outputsOf(res.body, onExisting, await s.groupNames()) };
      },
      async (existingId) => adopt(await s.client.get<ApiUser>(`/users/${encodeURIComponent(existingId)}`)),
    );
  },

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const s = session();
    const found = (await s.users()).find((u) => u.id === id);
    if (!found) return { id: "", props: {} }; // gone: Pulumi drops it from state
    return { id, props: outputsOf(found, declarationOf(props).onExisting, await s.groupNames()) };
  },

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    const s = session();
    const { decl, onExisting } = declarationOf(news);
    const user = User.parse(decl);
    const facts = await s.facts();
    const desired = await body(user, facts);
    const previous = await body(User.parse(declarationOf(olds).decl), facts);
    // Send only what this update changes, so an out-of-band change to another field survives.
    const patch = Object.fromEntries(Object.entries(desired).filter(([k, v]) => !same(v, previous[k as keyof Body])));
    const updated = await patchUser(id, String(olds.etag), patch, previous, user, facts);
    return { outs: outputsOf(updated, onExisting, await s.groupNames()) };
  },

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const s = session();
    try {
      // PBX users come from the phone system: removing them from the manifest revokes portal access.
      if (props.origin === "pbx") await s.client.request("POST", `/users/${encodeURIComponent(id)}/revoke`);
      else await s.client.request("DELETE", `/users/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof PlatformError && err.status === 404) return; // already gone
      throw err;
    }
    s.invalidate("users", "facts");
  },
};

/** Keys in one order so that two canonical declarations compare by JSON. */
const canonicalOrder = (u: User): User => canonicalUser(normalizeUser(u));

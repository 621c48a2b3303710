import * as pulumi from "@pulumi/pulumi";
import { IDENTITY_FIELDS, type Group as GroupSpec, type User as UserSpec, type Workspace as WorkspaceSpec, type WorkspaceGrant as GrantSpec } from "../schema";
import type { RoleInputs } from "./handlers/role";
import type { OnExisting } from "./handlers/user";
import { providerFor } from "./runtime/stub";

// The Pulumi resources. Each hands Pulumi a tiny provider stub (./runtime/stub.ts) that loads the
// handler in ./handlers/<kind> by require, so state holds the kind's name, not the code.

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
type Outputs<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/**
 * Outputs beyond the declared inputs: what the engine answers for every resource of the kind. The
 * SDK makes outputs only of the keys it is given (each costing a few promises and stack traces per
 * resource, measured), hence the short lists. The identity of a user is among them: the email of a
 * PBX user declared by extension is `user.email`, known at preview, since the engine hands back
 * checked inputs as a new resource's outputs there.
 */
const outputKeys = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, undefined]));
const MODULE = "analytics-access";
const TOKEN_KEY = "analytics-access:token";

let tokenChecked = false;
/**
 * Pulumi records the stack's whole configuration in its state, as the inputs of the provider that
 * dynamic resources run on (engine: deploy/target.go `GetPackageConfig`). A token set without
 * --secret is therefore stored there in plain text: say so at every preview and update.
 */
export function warnIfTokenIsPlain(): void {
  if (tokenChecked) return;
  tokenChecked = true;
  if (pulumi.runtime.getConfig(TOKEN_KEY) === undefined) return;
  const secretKeys: unknown = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "[]");
  if (Array.isArray(secretKeys) && secretKeys.includes(TOKEN_KEY)) return;
  void pulumi.log.warn(
    `${TOKEN_KEY} is plain configuration, so Pulumi stores it in this stack's state in plain text (the provider's recorded inputs). ` +
      `Set it as a secret: \`pulumi config set --secret ${TOKEN_KEY} <token>\`, or leave it out and set ANALYTICS_ACCESS_TOKEN in the environment.`,
  );
}

export type UserArgs = Inputs<UserSpec> & {
  /** When a manual user with this email already exists: adopt it (default) or fail. PBX users are always adopted. */
  onExisting?: pulumi.Input<OnExisting>;
};

/** A portal user. PBX users are adopted from the phone system and revoked, never deleted. */
export interface User extends Outputs<Pick<UserSpec, Exclude<(typeof IDENTITY_FIELDS)[number], "email">>> {}
export class User extends pulumi.dynamic.Resource {
  /** The login email; a PBX user's comes from the phone system's directory. What grants and roles name the user by. */
  declare readonly email: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly etag: pulumi.Output<string>;
  /** The keys the platform holds, server-computed ones (Real-Time) included. */
  declare readonly roleKeys: pulumi.Output<string[]>;
  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor("user"), name, { ...outputKeys(...IDENTITY_FIELDS, "userId", "etag", "roleKeys"), ...args }, opts, MODULE, "User");
  }
}

export type GroupArgs = Inputs<GroupSpec>;
export interface Group extends Outputs<Pick<GroupSpec, "name">> {}
export class Group extends pulumi.dynamic.Resource {
  declare readonly entityId: pulumi.Output<string>;
  constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor("group"), name, { ...outputKeys("name", "entityId", "etag"), ...args }, opts, MODULE, "Group");
  }
}

export type WorkspaceArgs = Inputs<Omit<WorkspaceSpec, "members">>;
export interface Workspace extends Outputs<Pick<WorkspaceSpec, "name">> {}
export class Workspace extends pulumi.dynamic.Resource {
  declare readonly entityId: pulumi.Output<string>;
  constructor(name: string, args: WorkspaceArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor("workspace"), name, { ...outputKeys("name", "entityId", "etag"), ...args }, opts, MODULE, "Workspace");
  }
}

export type RoleArgs = Inputs<RoleInputs>;
/** A named portal role (Office@Hand report permissions, IntelePeer account scopes) and, optionally, who holds it. */
export interface Role extends Outputs<Pick<RoleInputs, "name">> {}
export class Role extends pulumi.dynamic.Resource {
  declare readonly roleId: pulumi.Output<string>;
  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor("role"), name, { ...outputKeys("name", "roleId", "etag"), ...args }, opts, MODULE, "Role");
  }
}

export type WorkspaceGrantArgs = Inputs<GrantSpec>;
/** One user's access level in one workspace. */
export interface WorkspaceGrant extends Outputs<GrantSpec> {}
export class WorkspaceGrant extends pulumi.dynamic.Resource {
  declare readonly grantId: pulumi.Output<string>;
  constructor(name: string, args: WorkspaceGrantArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor("workspace-grant"), name, { ...outputKeys("user", "workspace", "access", "grantId", "etag"), ...args }, opts, MODULE, "WorkspaceGrant");
  }
}

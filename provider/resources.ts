import * as pulumi from "@pulumi/pulumi";
import type { Group as GroupSpec, User as UserSpec, Workspace as WorkspaceSpec, WorkspaceGrant as GrantSpec } from "../schema";
import type { RoleInputs } from "./handlers/role";
import type { OnExisting } from "./handlers/user";
import { providerFor } from "./runtime/stub";

// The Pulumi resources. Each hands Pulumi a tiny provider stub (./runtime/stub.ts) that loads the
// handler in ./handlers/<kind> by require, so state holds the kind's name, not the code.

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
const MODULE = "analytics-access";

export type UserArgs = Inputs<UserSpec> & {
  /** When a manual user with this email already exists: adopt it (default) or fail. PBX users are always adopted. */
  onExisting?: pulumi.Input<OnExisting>;
};

/** A portal user. PBX users are adopted from the phone system and revoked, never deleted. */
export class User extends pulumi.dynamic.Resource {
  declare readonly userId: pulumi.Output<string>;
  declare readonly etag: pulumi.Output<string>;
  declare readonly roleKeys: pulumi.Output<string[]>;
  declare readonly email: pulumi.Output<string | undefined>;
  declare readonly tier: pulumi.Output<string>;
  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("user"), name, { ...args, userId: undefined, etag: undefined, roleKeys: undefined }, opts, MODULE, "User");
  }
}

export type GroupArgs = Inputs<GroupSpec>;
export class Group extends pulumi.dynamic.Resource {
  declare readonly entityId: pulumi.Output<string>;
  constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("group"), name, { ...args, entityId: undefined, etag: undefined }, opts, MODULE, "Group");
  }
}

export type WorkspaceArgs = Inputs<Omit<WorkspaceSpec, "members">>;
export class Workspace extends pulumi.dynamic.Resource {
  declare readonly entityId: pulumi.Output<string>;
  constructor(name: string, args: WorkspaceArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("workspace"), name, { ...args, entityId: undefined, etag: undefined }, opts, MODULE, "Workspace");
  }
}

export type RoleArgs = Inputs<RoleInputs>;
/** A named portal role (Office@Hand report permissions, IntelePeer account scopes) and, optionally, who holds it. */
export class Role extends pulumi.dynamic.Resource {
  declare readonly roleId: pulumi.Output<string>;
  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("role"), name, { ...args, roleId: undefined, etag: undefined }, opts, MODULE, "Role");
  }
}

export type WorkspaceGrantArgs = Inputs<GrantSpec>;
/** One user's access level in one workspace. */
export class WorkspaceGrant extends pulumi.dynamic.Resource {
  declare readonly grantId: pulumi.Output<string>;
  constructor(name: string, args: WorkspaceGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("workspace-grant"), name, { ...args, grantId: undefined, etag: undefined }, opts, MODULE, "WorkspaceGrant");
  }
}

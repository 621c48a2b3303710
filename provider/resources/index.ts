// The registry of resource kinds: one line per kind, each defined in ./<kind>.ts (its Pulumi
// class, args, outputs and handler). The kind names are the strings stored in state with every
// resource's provider stub (../runtime/stub.ts): they never change, or existing states break.
// The dynamic-provider host resolves a kind through `handlerFor` (../runtime/host.ts).
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { session } from "../session";
import { capabilityFailures } from "./common";
import * as group from "./group";
import type { KindDefinition, KindHandler } from "./kind";
import * as role from "./role";
import * as user from "./user";
import * as workspace from "./workspace";
import * as workspaceGrant from "./workspace-grant";

export const KINDS = {
  user: user.definition,
  group: group.definition,
  workspace: workspace.definition,
  "workspace-grant": workspaceGrant.definition,
  role: role.definition,
} as const;

/** The resource kinds, as stored in state. */
export type Kind = keyof typeof KINDS;
/** What a program may declare for a kind (the fields a backend's `Capabilities.unsupportedFields` may name). */
export type FieldOf<K extends Kind> = keyof z.input<(typeof KINDS)[K]["schema"]> & string;

// Each entry is registered under its own name (the compiler refuses `user: group.definition`).
const _registeredUnderItsName: { [K in Kind]: KindDefinition<K> } = KINDS;
void _registeredUnderItsName;

export const isKind = (kind: string): kind is Kind => Object.hasOwn(KINDS, kind);

const wrapped = new Map<Kind, KindHandler>();

/**
 * The handler of a kind as the host installs it: Check first refuses what the configured backend
 * cannot carry (a kind, or a declared field), naming the backend and why, then runs the kind's own.
 */
export function handlerFor(kind: Kind): KindHandler {
  let h = wrapped.get(kind);
  if (!h) {
    const { handler, outputs } = KINDS[kind] as KindDefinition;
    h = {
      ...handler,
      async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        const failures = await capabilityFailures(session().backend, kind, outputs.strip(news));
        return failures.length ? { failures } : handler.check(olds, news);
      },
    };
    wrapped.set(kind, h);
  }
  return h;
}

export { User, type UserArgs, type OnExisting } from "./user";
export { Group, type GroupArgs } from "./group";
export { Workspace, type WorkspaceArgs } from "./workspace";
export { WorkspaceGrant, type WorkspaceGrantArgs } from "./workspace-grant";
export { Role, type RoleArgs, RoleInputs } from "./role";

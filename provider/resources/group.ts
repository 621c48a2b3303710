// A group of users; calls are attributed to a user's primary group.
import * as pulumi from "@pulumi/pulumi";
import { Group as GroupSpec } from "../../schema";
import { providerFor } from "../runtime/stub";
import { declareOutputs, defineKind, type Inputs, MODULE, type Outputs, warnIfTokenIsPlain } from "./kind";
import { namedEntityHandler } from "./named";

export const KIND = "group";

/** What the portal adds to a group: its id and version. */
export interface GroupComputed {
  entityId: string;
  /** Absent where the portal keeps no versions. */
  etag?: string;
}
const OUTPUTS = declareOutputs<GroupComputed>()({ inputs: ["name"], computed: ["entityId", "etag"] });

export type GroupArgs = Inputs<GroupSpec>;
export interface Group extends Outputs<Pick<GroupSpec, "name"> & GroupComputed> {}
export class Group extends pulumi.dynamic.Resource {
  constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor(KIND), name, { ...OUTPUTS.placeholders(), ...args }, opts, MODULE, "Group");
  }
}

export const handler = namedEntityHandler({ schema: GroupSpec, collection: "groups", outputs: OUTPUTS, declare: (plan, name) => plan.declareGroup(name) });

export const definition = defineKind({ kind: KIND, resource: Group, schema: GroupSpec, outputs: OUTPUTS, handler });

// A workspace holding dashboards and wallboards. Members are reconciled as WorkspaceGrant
// resources (./workspace-grant.ts), one per user, so that a grant changed in the portal is one
// resource's drift, not the whole workspace's.
import * as pulumi from "@pulumi/pulumi";
import { Workspace as WorkspaceSchema } from "../../schema";
import { providerFor } from "../runtime/stub";
import { declareOutputs, defineKind, type Inputs, MODULE, type Outputs, warnIfTokenIsPlain } from "./kind";
import { namedEntityHandler } from "./named";

export const KIND = "workspace";

const WorkspaceSpec = WorkspaceSchema.omit({ members: true });
type WorkspaceSpec = Omit<WorkspaceSchema, "members">;

/** What the portal adds to a workspace: its id and version. */
export interface WorkspaceComputed {
  entityId: string;
  /** Absent where the portal keeps no versions. */
  etag?: string;
}
const OUTPUTS = declareOutputs<WorkspaceComputed>()({ inputs: ["name"], computed: ["entityId", "etag"] });

export type WorkspaceArgs = Inputs<WorkspaceSpec>;
export interface Workspace extends Outputs<Pick<WorkspaceSpec, "name"> & WorkspaceComputed> {}
export class Workspace extends pulumi.dynamic.Resource {
  constructor(name: string, args: WorkspaceArgs, opts?: pulumi.CustomResourceOptions) {
    warnIfTokenIsPlain();
    super(providerFor(KIND), name, { ...OUTPUTS.placeholders(), ...args }, opts, MODULE, "Workspace");
  }
}

export const handler = namedEntityHandler({ schema: WorkspaceSpec, collection: "workspaces", outputs: OUTPUTS, declare: (plan, name) => plan.declareWorkspace(name) });

export const definition = defineKind({ kind: KIND, resource: Workspace, schema: WorkspaceSpec, outputs: OUTPUTS, handler });

// The manifest-driven stack: access.yaml holds what every environment shares, and the stack's
// overlay (analytics-access:overlay) what differs in it. Run from the repository root, where the
// root Pulumi.yaml points at this program's compiled form (dist/examples/manifest/index.js).
import * as pulumi from "@pulumi/pulumi";
import { Access } from "../../provider";

export = async () => {
  const config = new pulumi.Config("analytics-access");
  const access = await Access.fromFiles("access", {
    manifest: config.get("manifest") ?? "examples/manifest/access.yaml",
    overlay: config.get("overlay"),
  });
  return {
    users: Object.keys(access.users).length,
    workspaceGrants: access.grants.length,
    userIds: pulumi.all(Object.fromEntries(Object.entries(access.users).map(([k, u]) => [k, u.userId]))),
  };
};

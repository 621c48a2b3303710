// The package's Pulumi API: resources, the manifest component, and the platform client.
export { User, Group, Role, Workspace, WorkspaceGrant, type UserArgs, type GroupArgs, type RoleArgs, type WorkspaceArgs, type WorkspaceGrantArgs } from "./resources";
export { Access, type AccessArgs, formatViolations } from "./component";
export { PlatformClient, PlatformError, RateLimitedError } from "./client";
export { DEFAULT_ENDPOINT } from "./session";

// Length limits the platform shares with the manifest's schema (schema/group.ts, workspace.ts,
// role.ts): a name the manifest accepts, the platform stores, and the other way round. The platform
// imports nothing from schema/ (README), so the numbers live here and test/platform/limits.test.ts
// asserts the manifest's schema says the same.

/** Group, workspace and named-role names. */
export const NAME_MAX = 100;
/** Group, workspace and named-role descriptions. */
export const DESCRIPTION_MAX = 500;
/** Email addresses (RFC 5321's path limit). */
export const EMAIL_MAX = 254;
/** Users' display names. */
export const DISPLAY_NAME_MAX = 200;

// Every code the platform answers with, its statuses and what it means: the one list the Problem
// constructor is typed against, the OpenAPI document files refusals under and platform/README.md's
// error table mirrors (a test keeps them equal).
//
// Two kinds of code. A rule id of the project's catalogue (schema/rules/catalogue.ts: LIC-1, MAIL-1, ...)
// where the platform refuses what that rule rejects, with the rule's meaning (`rule: true`); a word code
// (ETAG, AUTH-MISSING-TOKEN, ...) for everything only the platform refuses. A word code never has the
// shape of a rule id (LETTERS-digit). This file imports nothing: the platform stays independent of schema/.
import type { PERMISSIONS } from "./keys";

interface CodeInfo { status: readonly number[]; meaning: string; rule?: true }

export const CODES = {
  // ---- the HTTP layer ----
  "AUTH-MISSING-TOKEN": { status: [401], meaning: "no Authorization header, or one that is not a bearer token" },
  "AUTH-INVALID-TOKEN": { status: [401], meaning: "a bearer token the platform does not know (or whose user was deleted)" },
  "AUTH-EXPIRED-TOKEN": { status: [401], meaning: "a token past its expiry (`expiresAt`); issue a new one" },
  "AUTH-REVOKED-TOKEN": { status: [401], meaning: "a token that was revoked (`platform token revoke`)" },
  "AUTH-THROTTLED": { status: [429], meaning: "too many failed authentications from this client address; `Retry-After`" },
  "ADMIN-CREDENTIAL": { status: [401], meaning: "an admin route without the platform's admin credential (a tenant token is not one)" },
  "CROSS-SITE": { status: [403], meaning: "an admin request from another site (`Origin` or `Sec-Fetch-Site` cross-site)" },
  "CONTENT-TYPE": { status: [415], meaning: "a request body without `Content-Type: application/json` (or `application/*+json`); on admin routes any request other than GET, even without a body" },
  "BAD-JSON": { status: [400], meaning: "a request body that is not JSON, or nests deeper than 32 levels" },
  "BAD-REQUEST": { status: [400], meaning: "a malformed request: a request target that is not a path, bad percent-encoding in a path segment, a request line or header node's HTTP parser refuses" },
  "BODY-SIZE": { status: [413], meaning: "a request body over 1 MB (refused before reading when Content-Length says so; a chunked body is cut at the limit)" },
  "CURSOR": { status: [400], meaning: "a paging cursor this server did not issue, or one issued for another collection" },
  "VALIDATION": { status: [422], meaning: "a body (or `limit`) that does not match the schema; `errors: [{path, message}]`" },
  "ROUTE": { status: [404], meaning: "no route at that path" },
  "METHOD": { status: [405], meaning: "a method the path does not have; `Allow` lists those it has" },
  "NOT-FOUND": { status: [404], meaning: "an id that does not exist in the token's tenant" },
  "ETAG": { status: [412], meaning: "If-Match does not match the entity's ETag (compared strongly: a weak `W/` tag never matches); `currentEtag`" },
  "IDEMPOTENCY-KEY": { status: [400, 422], meaning: "an empty Idempotency-Key (400); one over 200 characters (422)" },
  "IDEMPOTENCY-MISMATCH": { status: [422], meaning: "an Idempotency-Key reused with another method, path or body" },
  "RATE-LIMIT": { status: [429], meaning: "the token's bucket is empty; `Retry-After`" },
  "INTERNAL": { status: [500], meaning: "an unexpected failure; nothing was applied" },
  "FAULT-500": { status: [500], meaning: "an injected fault (admin/faults); nothing was applied" },
  "FAULT-503": { status: [503], meaning: "an injected fault (admin/faults); nothing was applied; `Retry-After: 1`" },
  // ---- authority ----
  "PERM-<permission key>": { status: [403], meaning: "the token's user lacks the permission the route declares; `missingPermission`" },
  "BILL-1": { status: [403], rule: true, meaning: "a billable change without Manage Billable Items; `missingPermission` and `keys`" },
  "PERM-GRANT": { status: [403], meaning: "granting or taking away an authority permission the token's user does not hold; `keys`" },
  "PERM-SELF": { status: [403], meaning: "a token adding a permission key to its own user, or its user to a named role; `keys`" },
  "LAST-ADMIN": { status: [409], meaning: "a change that would leave no user holding an authority permission someone holds now (the last tenant admin); `keys`" },
  // ---- users ----
  "KEY-UNKNOWN": { status: [422], meaning: "an unknown role key (or an 8x8 key on another profile); `keys` names them" },
  "USER-EXISTS": { status: [409], meaning: "creating a user whose email exists (case-insensitive); `existingId`" },
  "MAIL-1": { status: [409], rule: true, meaning: "changing an email to one another user holds; `existingId`" },
  "SRC-1": { status: [422], rule: true, meaning: "Essential/Professional, Agent, CRM, a UC client or a softphone on a manual user" },
  "SRC-2": { status: [422], rule: true, meaning: "removing Essential from a PBX user" },
  "SRC-3": { status: [409], rule: true, meaning: "creating with origin other than manual; deleting a PBX user (revoke instead)" },
  "SRC-4": { status: [409], rule: true, meaning: "changing a PBX user's displayName, email or extension (or any extension on a manual user); `fields`" },
  "TIER-MULTIPLE": { status: [422], meaning: "two supervisor tiers on one user" },
  "WEB-2": { status: [422], rule: true, meaning: "a permission other than Website Access without Website Access" },
  "UC-1": { status: [422], rule: true, meaning: "a softphone without Professional" },
  "UC-2": { status: [422], rule: true, meaning: "a softphone on a device the extension does not own (`ownedDevices`), or the CRM client with a non-WebRTC softphone device (`webrtcDevices`)" },
  "UC-3": { status: [422], rule: true, meaning: "the CRM client without the CRM add-on" },
  "REC-1": { status: [422, 409], rule: true, meaning: "Recording Playback without a recording bucket (422); clearing the bucket while it is used (409)" },
  "GRP-1": { status: [422], rule: true, meaning: "an unknown group, or a primary group the user is not in" },
  "AGT-1": { status: [409], rule: true, meaning: "adding or removing Agent when the tenant auto-assigns it" },
  "LIC-1": { status: [409], rule: true, meaning: "a newly added key would take a metered licence past capacity; `licence`, `capacity`, `inUse`, `key` (a user's existing licence is never counted twice; lowering capacity below use refuses only new additions)" },
  "X8-1": { status: [422], rule: true, meaning: "8x8 Essentials on an extension whose service licence is not in `tenant.x8LicenceTiers`" },
  "X8-2": { status: [422], rule: true, meaning: "8x8 Supervisor on an extension whose service licence is not in `tenant.x8LicenceTiers`" },
  // ---- groups, workspaces, grants ----
  "GROUP-EXISTS": { status: [409], meaning: "a group name already taken; `existingId`" },
  "WS-EXISTS": { status: [409], meaning: "a workspace name already taken; `existingId`" },
  "GRANT-EXISTS": { status: [409], meaning: "a second grant of one user to one workspace; `existingId`" },
  "WS-1": { status: [422, 409], rule: true, meaning: "a grant to an unknown workspace or user, or to a user without Website Access (422); removing Website Access from a user with grants (409)" },
  "WS-2": { status: [422, 409], rule: true, meaning: "a grant to a user below the Analytics tier on dimensions and ooma (422); dropping below Analytics while holding grants (409)" },
  // ---- named roles ----
  "ROLE-PRESET-READONLY": { status: [409], meaning: "changing or deleting a preset role (rule ROLE-2 rejects declaring one)" },
  "ROLE-EXISTS": { status: [409], meaning: "a role name already taken; `existingId`" },
  "ROLE-UNKNOWN-PERMISSION": { status: [422], meaning: "on officeathand, a report permission outside the dictionary; `permissions`" },
  "ROLE-UNKNOWN-USER": { status: [422], meaning: "assigning a role to users that do not exist; `userIds`" },
} as const satisfies Record<string, CodeInfo>;

export type PermissionKey = keyof typeof PERMISSIONS;
type Listed = Exclude<keyof typeof CODES, "PERM-<permission key>">;
/** A code the platform may answer with. */
export type Code = Listed | `PERM-${PermissionKey}`;
/** The statuses a code may come with: `new Problem(409, "ETAG", …)` does not compile. */
export type StatusOf<C extends Code> = C extends Listed ? (typeof CODES)[C]["status"][number] : 403;

/** The registry's entry for a code (PERM-<key> codes share one). */
export function codeInfo(code: Code): CodeInfo {
  return code in CODES ? CODES[code as Listed] : CODES["PERM-<permission key>"];
}

// Bearer tokens: the secret is looked up by its sha256; the token carries one tenant and one portal
// user, whose roles are the permissions that gate the API.
import { Problem } from "./problem";
import { sha256 } from "./store";
import type { Store, Tenant, User } from "./store";

export interface Principal { tenant: Tenant; user: User; tokenHash: string }

export function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

export function authenticate(store: Store, header: string | undefined): Principal {
  const secret = bearerOf(header);
  if (!secret) {
    throw new Problem(401, "AUTH-MISSING-TOKEN", header
      ? "The Authorization header is not a bearer token. Send \"Authorization: Bearer <token>\"."
      : "No API token. Send \"Authorization: Bearer <token>\"; an admin issues tokens with \"analytics-access platform token\".");
  }
  const tokenHash = sha256(secret);
  const rec = store.tokenByHash(tokenHash);
  const tenant = rec && store.getTenant(rec.tenantId);
  const user = rec && tenant && store.getUser(tenant.id, rec.userId);
  if (!rec || !tenant || !user) {
    throw new Problem(401, "AUTH-INVALID-TOKEN", "The API token is not valid (unknown, or its user was deleted). Ask an admin for a new one (\"analytics-access platform token\").");
  }
  return { tenant, user, tokenHash };
}

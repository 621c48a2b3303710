// Bearer tokens: the secret is looked up by its sha256; the token carries one tenant and one portal
// user, whose roles are the permissions that gate the API. A token expires (`expiresAt`) and can be
// revoked. The admin routes take another credential: the platform's admin key (adminCredential below),
// which belongs to whoever runs the platform (the service provider), never to a tenant.
import { timingSafeEqual } from "node:crypto";
import { Problem } from "./problem";
import { sha256 } from "./store";
import type { Store, Tenant, TokenRecord, User } from "./store";

export interface Principal { tenant: Tenant; user: User; tokenHash: string; token: TokenRecord }

export function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

/** The principal a bearer secret stands for, or why it stands for none (without throwing: the server's limiter asks too). */
export function resolveToken(store: Store, secret: string): Principal | "unknown" | "expired" | "revoked" {
  const tokenHash = sha256(secret);
  const rec = store.tokenByHash(tokenHash);
  const tenant = rec && store.getTenant(rec.tenantId);
  const user = rec && tenant && store.getUser(tenant.id, rec.userId);
  if (!rec || !tenant || !user) return "unknown";
  if (rec.revokedAt) return "revoked";
  if (rec.expiresAt <= store.now()) return "expired";
  return { tenant, user, tokenHash, token: rec };
}

export function authenticate(store: Store, header: string | undefined): Principal {
  const secret = bearerOf(header);
  if (!secret) {
    throw new Problem(401, "AUTH-MISSING-TOKEN", header
      ? "The Authorization header is not a bearer token. Send \"Authorization: Bearer <token>\"."
      : "No API token. Send \"Authorization: Bearer <token>\"; an admin issues tokens with \"analytics-access platform token\".");
  }
  const p = resolveToken(store, secret);
  if (p === "revoked") throw new Problem(401, "AUTH-REVOKED-TOKEN", "The API token was revoked. Ask an admin for a new one (\"analytics-access platform token\").");
  if (p === "expired") throw new Problem(401, "AUTH-EXPIRED-TOKEN", "The API token has expired. Ask an admin for a new one (\"analytics-access platform token\"; `platform token list` shows every token's expiry).");
  if (p === "unknown") {
    throw new Problem(401, "AUTH-INVALID-TOKEN", "The API token is not valid (unknown, or its user was deleted). Ask an admin for a new one (\"analytics-access platform token\").");
  }
  return p;
}

/** The env variable a fixed admin key comes from; without it `platform serve` makes one per start and prints it. */
export const ADMIN_KEY_ENV = "ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY";

/** Refuses an admin request whose bearer is not the admin key (only its sha256 is kept; compared in constant time). */
export function requireAdmin(adminKeyHash: string | undefined, header: string | undefined): void {
  const secret = bearerOf(header);
  const ok = !!secret && !!adminKeyHash && timingSafeEqual(Buffer.from(sha256(secret), "hex"), Buffer.from(adminKeyHash, "hex"));
  if (ok) return;
  throw new Problem(401, "ADMIN-CREDENTIAL", !adminKeyHash
    ? "This platform has no admin credential configured, so its admin routes are closed. Start it with `platform serve` (it prints one) or set " + ADMIN_KEY_ENV + "."
    : secret
      ? "The admin routes need the platform's admin credential (\"Authorization: Bearer aak_…\", printed by `platform serve` or set in " + ADMIN_KEY_ENV + "); this is not it. A tenant's API token never is."
      : "The admin routes need the platform's admin credential: send \"Authorization: Bearer aak_…\" (printed by `platform serve`, or set in " + ADMIN_KEY_ENV + ").");
}

/**
 * Admin requests come from the operator's own tools, never from a web page on another site: a request
 * with a cross-site Origin or Sec-Fetch-Site is refused (403 CROSS-SITE), and one that is not a GET must
 * say Content-Type: application/json (415 CONTENT-TYPE), which a browser cannot send cross-site without
 * a preflight this server never answers.
 */
export function requireSameSite(method: string, headers: { origin?: string; host?: string; secFetchSite?: string; contentType?: string }): void {
  const site = headers.secFetchSite?.toLowerCase();
  if (site && site !== "same-origin" && site !== "none") {
    throw new Problem(403, "CROSS-SITE", `Admin requests from another site are refused (Sec-Fetch-Site: ${site}). Call the admin routes from the operator's tools (curl, the test harness), not from a web page.`);
  }
  if (headers.origin !== undefined) {
    let same = false;
    try {
      const o = new URL(headers.origin);
      same = o.protocol === "http:" && !!headers.host && o.host === headers.host && isLoopbackHost(o.hostname);
    } catch { same = false; }
    if (!same) throw new Problem(403, "CROSS-SITE", `Admin requests from another origin are refused (Origin: ${headers.origin.slice(0, 100)}). Call the admin routes from the operator's tools, not from a web page.`);
  }
  if (method !== "GET" && !/^application\/json\s*(;|$)/i.test(headers.contentType ?? "")) {
    throw new Problem(415, "CONTENT-TYPE", `Admin requests other than GET must be sent with "Content-Type: application/json" (got ${headers.contentType ? `"${headers.contentType.slice(0, 60)}"` : "none"}), even without a body.`);
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

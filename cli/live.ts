import { PlatformError } from "../provider/client";
import { DEFAULT_ENDPOINT, Session, settingsFrom } from "../provider/session";

export const DEFAULT_TOKEN_ENV = "ANALYTICS_ACCESS_TOKEN";

/**
 * A read session on a live platform for the CLI commands (validate, review, export). The token is
 * read from an environment variable, never from the command line (where `ps` and shell history
 * would keep it).
 */
export function liveSession(endpoint: string | undefined, tokenEnv: string | undefined, onPage?: (collection: string, itemsSoFar: number) => void): Session {
  const name = tokenEnv ?? DEFAULT_TOKEN_ENV;
  const token = process.env[name];
  if (!token) throw new UsageError(`no API token: set the ${name} environment variable (or name another with --token-env)`);
  // A person is waiting: a few quick retries and a minute of rate-limit waits, not the provider's patient ones.
  // Everything else a backend reads (its own keys) comes from the environment, as settingsFrom reads it without a stack.
  const { config } = settingsFrom(undefined, { ...process.env, ANALYTICS_ACCESS_TOKEN: token });
  return new Session({ backend: process.env.ANALYTICS_ACCESS_BACKEND, endpoint: endpoint ?? process.env.ANALYTICS_ACCESS_ENDPOINT ?? DEFAULT_ENDPOINT, token, licenceWaitMs: 0, maxAttempts: 3, rateLimitWaitMs: 60_000, onPage, config });
}

/** A mistake in how the command was called: exit 2 with the message. */
export class UsageError extends Error {}

/** A failure talking to the platform, as one line without secrets. */
export function describeLiveError(err: unknown, endpoint: string): string {
  if (err instanceof PlatformError) {
    if (err.status === 401) return `the platform at ${endpoint} refused the token (401): check the token variable`;
    return err.message;
  }
  return `cannot read the tenant at ${endpoint}: ${(err as Error).message}`;
}

// `analytics-access login xarios`: the one-time OAuth2 consent Xarios needs (authorization code,
// VENDOR-APIS §1.5). It listens on a loopback redirect, prints the authorize URL for a person to
// open, receives the code, exchanges it, and prints the refresh token with the command that stores
// it as the stack's secret. The client secret is read from the environment, never the command line.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { spawn } from "node:child_process";
import { type Io, parseCommandArgs, processIo } from "./output";

const DEFAULT_LOGIN_URL = "https://login.xarios.cloud/connect";
const SCOPE = "openid offline_access onboarding";

const USAGE = `usage: analytics-access login xarios [--client-id ID] [--login-url URL] [--port N] [--open] [--timeout S] [--dev-token-env NAME]

One-time consent for the xarios backend (Dimensions, Ooma). Xarios's API takes OAuth2
authorization-code tokens only: a person approves once in a browser, and the refresh token this
prints is what the stack keeps (as a secret) to renew access tokens on every run.

  1. Listens on http://127.0.0.1:<port>/ (the redirect URI registered with Xarios; default 8000).
  2. Prints the authorize URL (--open also opens it in the default browser). Log in with a
     reseller-portal user and approve.
  3. Receives the code on the redirect, exchanges it at <login-url>/token, and prints
     \`pulumi config set --secret analytics-access:token <refresh token>\`.

Options:
  --client-id ID      the client id Xarios issued (or ANALYTICS_ACCESS_XARIOS_CLIENT_ID)
  --login-url URL     the login server (default ${DEFAULT_LOGIN_URL}, or ANALYTICS_ACCESS_XARIOS_LOGIN_URL;
                      the embedded platform's is http://127.0.0.1:4780/oauth)
  --port N            the loopback port (default 8000; 0 picks a free one)
  --open              open the URL in the browser
  --timeout S         give up after S seconds without a redirect (default 300)
  --dev-token-env NAME  embedded platform only: consent at once as the user of the platform token in
                      the environment variable NAME (no browser)
The client secret is read from ANALYTICS_ACCESS_XARIOS_CLIENT_SECRET.
Exit 0 done, 1 consent or exchange failed, 2 usage error.
`;

interface Values { "client-id"?: string; "login-url"?: string; port: string; open: boolean; timeout: string; "dev-token-env"?: string }

export const command = {
  summary: "one-time OAuth consent for a portal's API (xarios), printing the refresh token to store",
  async run(argv: string[], io: Io = processIo): Promise<number> {
    const args = parseCommandArgs<Values>("login", USAGE, argv, {
      "client-id": { type: "string" }, "login-url": { type: "string" }, port: { type: "string", default: "8000" },
      open: { type: "boolean", default: false }, timeout: { type: "string", default: "300" }, "dev-token-env": { type: "string" },
    }, io);
    if (typeof args === "number") return args;
    const { values, positionals, usage } = args;
    if (positionals[0] !== "xarios" || positionals.length !== 1) return usage(positionals.length ? `unknown portal "${positionals[0]}" (known: xarios)` : "name the portal: xarios");
    const clientId = values["client-id"] ?? process.env.ANALYTICS_ACCESS_XARIOS_CLIENT_ID;
    if (!clientId) return usage("no client id: pass --client-id or set ANALYTICS_ACCESS_XARIOS_CLIENT_ID");
    const loginUrl = (values["login-url"] ?? process.env.ANALYTICS_ACCESS_XARIOS_LOGIN_URL ?? DEFAULT_LOGIN_URL).replace(/\/+$/, "");
    const clientSecret = process.env.ANALYTICS_ACCESS_XARIOS_CLIENT_SECRET;
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port ${values.port} is not a port`);
    const state = randomBytes(16).toString("hex");

    let resolveCode!: (r: { code?: string; error?: string }) => void;
    const received = new Promise<{ code?: string; error?: string }>((r) => (resolveCode = r));
    const server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      const code = u.searchParams.get("code");
      const error = u.searchParams.get("error");
      if (!code && !error) { res.writeHead(404).end(); return; }
      const ok = u.searchParams.get("state") === state && !!code;
      res.writeHead(ok ? 200 : 400, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(ok ? "analytics-access: consent received; you can close this tab.\n" : "analytics-access: the login did not complete; see the terminal.\n");
      resolveCode(ok ? { code: code! } : { error: error ? `${error}${u.searchParams.get("error_description") ? `: ${u.searchParams.get("error_description")}` : ""}` : "the redirect's state does not match this login" });
    });
    try {
      await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(port, "127.0.0.1", () => resolve()); });
    } catch (err) {
      io.err(`analytics-access login: cannot listen on 127.0.0.1:${port} (${(err as Error).message}); pick another with --port (it must match a redirect URI registered for the client)\n`);
      return 1;
    }
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const authorize = new URL(`${loginUrl}/authorize`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, state, scope: SCOPE })) authorize.searchParams.set(k, v);
    try {
      io.out(`Open this URL in a browser, log in and approve (waiting on ${redirectUri}):\n\n  ${authorize.toString()}\n\n`);
      if (values.open) openBrowser(authorize.toString());
      const devEnv = values["dev-token-env"];
      if (devEnv) {
        const dev = process.env[devEnv];
        if (!dev) return usage(`--dev-token-env ${devEnv}: the variable is not set`);
        void devConsent(authorize.toString(), dev).catch((e: Error) => resolveCode({ error: e.message }));
      }
      const timeout = Number(values.timeout) * 1000;
      let timer: NodeJS.Timeout | undefined;
      const got: { code?: string; error?: string } = await Promise.race([received, new Promise<{ code?: string; error?: string }>((r) => { timer = setTimeout(() => r({ error: `no redirect within ${values.timeout} s` }), timeout); })]);
      clearTimeout(timer);
      if (!got.code) { io.err(`analytics-access login: consent failed: ${got.error}\n`); return 1; }
      const code = got.code;
      const res = await fetch(`${loginUrl}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}) }),
      });
      const body = (await res.json().catch(() => ({}))) as { refresh_token?: string; error?: string; error_description?: string };
      if (!res.ok || !body.refresh_token) {
        io.err(`analytics-access login: the code exchange failed (${res.status} ${body.error ?? ""}${body.error_description ? `: ${body.error_description}` : ""})${body.refresh_token === undefined && res.ok ? "; no refresh token: ask Xarios for the offline_access scope on the client" : ""}\n`);
        return 1;
      }
      io.out(`Consent received. Store the refresh token as the stack's secret (it is shown once; the access token is not kept):\n\n  pulumi config set --secret analytics-access:token ${body.refresh_token}\n\n` +
        `and, if not set yet:\n  pulumi config set analytics-access:backend xarios\n  pulumi config set analytics-access:xariosClientId ${clientId}\n` +
        (loginUrl !== DEFAULT_LOGIN_URL ? `  pulumi config set analytics-access:xariosLoginUrl ${loginUrl}\n` : "") +
        `  pulumi config set --secret analytics-access:xariosClientSecret <client secret>\n`);
      return 0;
    } finally {
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
    }
  },
};

/** The embedded platform's dev consent: the authorize request with the platform token, its redirect followed to our listener. */
async function devConsent(url: string, token: string): Promise<void> {
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: "manual" });
  const to = r.headers.get("location");
  if (r.status !== 302 || !to) {
    const b = (await r.json().catch(() => ({}))) as { error?: string; error_description?: string };
    throw new Error(`the login server answered ${r.status} ${b.error ?? ""}${b.error_description ? `: ${b.error_description}` : ""}`);
  }
  await fetch(to);
}

function openBrowser(url: string): void {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try { spawn(cmd, [url], { stdio: "ignore", detached: true }).on("error", () => undefined).unref(); } catch { /* printed above */ }
}

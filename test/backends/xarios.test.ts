// The backend contract (./contract.ts) for `xarios`: the embedded platform speaking the Xarios
// Enterprise Portal API (platform/vendors/xarios), a Dimensions tenant per customer. Then what is
// Xarios's own: the 402 / acceptCharges handshake, the login command, the calls a refresh costs.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forceUserRoles, startPlatform, type RunningPlatform } from "../../platform";
import { REPO_ROOT, Stack } from "../support/engine";
import { declaredProject } from "../support/projects";
import { dynamicSteps } from "../support/runs";
import { contract, type ContractTenant } from "./contract";
import { XariosBackend } from "../../provider/backends/xarios";

const ADMIN = "admin@contract.example";
const CLIENT = { id: "analytics-access-dev", secret: "embedded-dev-secret" }; // platform/vendors/xarios XARIOS_DEV_CLIENT
const ACCOUNT = "embedded";
/** The keys the public docs do not give, as this (embedded) tenant has them: stack configuration. */
const ROLE_KEYS = JSON.stringify({
  "tier.liveAnalytics": "customer.user.supervisorl4", "tier.contactCenter": "customer.user.supervisorl5",
  "permission.manageUsers": "admin.user", "permission.manageBillableItems": "customer.billing",
  "permission.workspaceAdministrator": "customer.workspaces", "addOn.crm": "customer.user.crm",
});

/** The OAuth2 code flow as a person completes it: authorize (dev consent with a platform token), then the code exchanged. */
async function refreshTokenFor(p: RunningPlatform, platformToken: string): Promise<string> {
  const redirect = "http://127.0.0.1:8000/";
  const auth = await fetch(`${p.url}/oauth/authorize?response_type=code&client_id=${CLIENT.id}&redirect_uri=${encodeURIComponent(redirect)}&state=s&scope=openid%20offline_access%20onboarding`, { headers: { authorization: `Bearer ${platformToken}` }, redirect: "manual" });
  expect(auth.status).toBe(302);
  const code = new URL(auth.headers.get("location")!).searchParams.get("code")!;
  const tok = await fetch(`${p.url}/oauth/token`, { method: "POST", body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect, client_id: CLIENT.id, client_secret: CLIENT.secret }) });
  const body = (await tok.json()) as { refresh_token: string };
  expect(tok.status).toBe(200);
  return body.refresh_token;
}

async function tenant(p: RunningPlatform, name: string, extra: Record<string, string> = {}): Promise<{ id: string; t: ContractTenant }> {
  const created = p.createTenant({ name, profile: "dimensions", licences: { professional: 10, reports: 20, analytics: 20, liveAnalytics: 5, realtime: 5 } });
  // PBX-synced users: Xarios gives no extension, so the backend leaves them to the phone system.
  for (let i = 1; i <= 2; i++) p.addDirectoryEntry(created.id, { extension: String(300 + i), displayName: `User ${300 + i}`, email: `user${300 + i}@contract.example` });
  p.createPortalUser(created.id, { email: ADMIN, displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users", "customer.permission.billable", "customer.permission.settings"] });
  const refresh = await refreshTokenFor(p, p.issueToken(created.id, ADMIN));
  return {
    id: created.id,
    t: {
      config: {
        "analytics-access:endpoint": p.url, "analytics-access:licenceWaitSeconds": "5",
        "analytics-access:xariosAccount": ACCOUNT, "analytics-access:xariosCustomer": created.id, "analytics-access:xariosClientId": CLIENT.id,
        "analytics-access:xariosLoginUrl": `${p.url}/oauth`, "analytics-access:xariosRoleKeys": ROLE_KEYS, "analytics-access:acceptCharges": "true", ...extra,
      },
      secrets: { "analytics-access:token": refresh, "analytics-access:xariosClientSecret": CLIENT.secret },
      env: {
        ANALYTICS_ACCESS_BACKEND: "xarios", ANALYTICS_ACCESS_ENDPOINT: p.url, ANALYTICS_ACCESS_TOKEN: refresh,
        ANALYTICS_ACCESS_XARIOS_ACCOUNT: ACCOUNT, ANALYTICS_ACCESS_XARIOS_CUSTOMER: created.id, ANALYTICS_ACCESS_XARIOS_CLIENT_ID: CLIENT.id,
        ANALYTICS_ACCESS_XARIOS_CLIENT_SECRET: CLIENT.secret, ANALYTICS_ACCESS_XARIOS_LOGIN_URL: `${p.url}/oauth`, ANALYTICS_ACCESS_XARIOS_ROLE_KEYS: ROLE_KEYS,
      },
      sensitive: [refresh],
    },
  };
}

const manifest = {
  version: 1,
  profile: "dimensions",
  users: [
    { email: "ana@contract.example", displayName: "Ana", tier: "analytics", permissions: { manageUsers: true } },
    { email: "ben@contract.example", displayName: "Ben", tier: "reports" },
    { email: "cy@contract.example", displayName: "Cy", tier: "liveAnalytics", permissions: { customerSettings: true } },
  ],
};
const changed = {
  ...manifest,
  users: [
    ...manifest.users.filter((u) => u.email !== "ben@contract.example"),
    { email: "ben@contract.example", displayName: "Ben", tier: "analytics" },
    { email: "dee@contract.example", displayName: "Dee", tier: "reports" },
  ],
};

let p: RunningPlatform;
let tenantA = "";
let writesSeen = 0;
contract({
  backend: "xarios",
  async start() {
    p = await startPlatform({ rateLimit: false });
    const a = await tenant(p, "Contract A");
    tenantA = a.id;
    const b = await tenant(p, "Contract B");
    return { a: a.t, b: b.t, close: () => p.close() };
  },
  manifest,
  changed,
  async drift() {
    const u = p.store.listUsers(tenantA).find((x) => x.email === "ana@contract.example")!;
    forceUserRoles(p.store, tenantA, u.id, u.roles.filter((k) => k !== "customer.supervisor.analytics").concat("customer.supervisor.reports"));
  },
  faults(on) {
    if (!on) { p.clearFaults(); p.setRateLimit(false); return; }
    p.setFaults([{ route: "/v1.0/", error503: 0.1, dropConnection: 0.05, dropAfterWrite: 0.05 }]);
    p.setRateLimit({ perMinute: 600, burst: 5 });
  },
  writes() {
    const w = p.stats().writes;
    const since = w - writesSeen;
    writesSeen = w;
    return since;
  },
});

describe("xarios: charges, login, calls per refresh", () => {
  let q: RunningPlatform;
  beforeAll(async () => { q = await startPlatform({ rateLimit: false }); }, 60_000);
  afterAll(async () => { await q?.close(); });

  const rolesOf = (tenantId: string, email: string) => q.store.listUsers(tenantId).find((u) => u.email === email)?.roles;

  it("refuses a licence upgrade without acceptCharges, naming the charge, with nothing changed; applies it with acceptCharges", async () => {
    const { id, t } = await tenant(q, "Charges", { "analytics-access:acceptCharges": "true" });
    const project = declaredProject({ access: { inline: { version: 1, profile: "dimensions", users: [{ email: "eve@contract.example", displayName: "Eve", tier: "reports" }] } } });
    const stack = new Stack({ dir: project.dir, stack: "charges", config: { ...t.config, "analytics-access:backend": "xarios" }, secrets: t.secrets });
    expect((await stack.up()).ok).toBe(true);
    const before = rolesOf(id, "eve@contract.example");
    expect(before).toContain("customer.supervisor.reports");

    project.declare({ access: { inline: { version: 1, profile: "dimensions", users: [{ email: "eve@contract.example", displayName: "Eve", tier: "analytics" }] } } });
    stack.setConfig("analytics-access:acceptCharges", "false");
    const preview = await stack.preview();
    expect(preview.ok).toBe(false);
    // The credential's permissions are unknown on Xarios: the rules needing them are said to be unchecked, not passed.
    expect(preview.text()).toMatch(/xarios: .*BILL-1.*cannot be judged at preview/);
    expect(preview.text()).toMatch(/billable change not accepted: Xarios charges for customer\.user\.supervisorl3 \(tier\.analytics\).*nothing will be sent.*analytics-access:acceptCharges true/s);
    const refused = await stack.up();
    expect(refused.ok).toBe(false);
    expect(refused.text()).toMatch(/billable change not accepted/);
    expect(rolesOf(id, "eve@contract.example")).toEqual(before);
    // The backstop, should a change reach Xarios unaccepted (the portal charging for what preview
    // could not know): its 402 becomes the same clear error, with nothing changed.
    const cfg: Record<string, string> = Object.fromEntries(Object.entries({ ...t.config, ...t.secrets, "analytics-access:acceptCharges": "false" }).map(([k, v]) => [k.replace("analytics-access:", ""), v]));
    const backend = new XariosBackend({ endpoint: q.url, token: t.secrets["analytics-access:token"], licenceWaitMs: 0, config: (k) => cfg[k] });
    const eve = (await backend.users.list()).find((u) => u.email === "eve@contract.example")!;
    const tier = (slot: string) => backend.keys.table[slot as keyof typeof backend.keys.table].key!;
    const raised = [...eve.roles.filter((k) => k !== tier("tier.reports")), tier("tier.analytics")].sort();
    await expect(backend.users.update(eve.id, { roles: raised }, eve.etag)).rejects.toThrow(/adds a Xarios charge \(customer\.user\.supervisorl3 \(tier\.analytics\)\).*402 Payment Required.*nothing was changed/s);
    expect(rolesOf(id, "eve@contract.example")).toEqual(before);

    stack.setConfig("analytics-access:acceptCharges", "true");
    const up = await stack.up();
    expect(up.ok, up.text()).toBe(true);
    expect(rolesOf(id, "eve@contract.example")).toContain("customer.supervisor.analytics");
  });

  it("refuses at preview a key the docs do not give and the stack does not configure, and warns of assumed defaults", async () => {
    const { t } = await tenant(q, "Keys");
    const project = declaredProject({ access: { inline: { version: 1, profile: "dimensions", users: [
      { email: "fay@contract.example", displayName: "Fay", tier: "analytics", permissions: { silentMonitor: true } },
    ] } } });
    const stack = new Stack({ dir: project.dir, stack: "keys", config: { ...t.config, "analytics-access:backend": "xarios" }, secrets: t.secrets });
    const preview = await stack.preview();
    expect(preview.ok).toBe(false);
    expect(preview.text()).toMatch(/permission\.silentMonitor is not in the public docs.*analytics-access:xariosRoleKeys/s);
    project.declare({ access: { inline: { version: 1, profile: "dimensions", users: [{ email: "fay@contract.example", displayName: "Fay", tier: "analytics" }] } } });
    const ok = await stack.preview();
    expect(ok.ok, ok.text()).toBe(true);
    expect(ok.text()).toMatch(/tier\.analytics is written as customer\.user\.supervisorl3, the assumed default/);
  });

  it("refuses groups, workspaces and named roles at preview, naming why", async () => {
    const { t } = await tenant(q, "Kinds");
    const project = declaredProject({ access: { inline: { version: 1, profile: "dimensions", groups: [{ name: "Sales" }], users: [{ email: "gus@contract.example", displayName: "Gus", tier: "reports" }] } } });
    const stack = new Stack({ dir: project.dir, stack: "kinds", config: { ...t.config, "analytics-access:backend": "xarios" }, secrets: t.secrets });
    const preview = await stack.preview();
    expect(preview.ok).toBe(false);
    expect(preview.text()).toMatch(/xarios backend cannot carry a group: Xarios documents no groups API/);
  });

  it("counts the calls of a refresh: one list page plus one GET per user (the list carries no roles)", async () => {
    const { id, t } = await tenant(q, "Refresh");
    const project = declaredProject({ access: { inline: manifest } });
    const stack = new Stack({ dir: project.dir, stack: "refresh", config: { ...t.config, "analytics-access:backend": "xarios" }, secrets: t.secrets });
    expect((await stack.up()).ok).toBe(true);
    for (let i = 0; i < 40; i++) q.createPortalUser(id, { email: `viewer${i}@contract.example`, displayName: `Viewer ${i}`, roles: ["customer.permission.website"] });
    const users = q.store.listUsers(id).length;
    q.resetStats();
    const refresh = await stack.refresh();
    expect(refresh.ok, refresh.text()).toBe(true);
    expect(dynamicSteps(refresh).length).toBe(3);
    const s = q.stats();
    const gets = s.byRoute["xarios GET /v1.0/accounts/{account}/customers/{customer}/users/{userId}"] ?? 0;
    const pages = s.byRoute["xarios GET /v1.0/accounts/{account}/customers/{customer}/users"] ?? 0;
    const tokens = s.byRoute["xarios POST /oauth/token"] ?? 0;
    console.log(`xarios: a refresh of 3 managed resources in a tenant of ${users} users cost ${s.total} calls: ${tokens} token, ${pages} list page(s), ${gets} user GETs; writes ${s.writes}`);
    expect(pages).toBe(1);
    expect(gets).toBe(users);
    expect(tokens).toBe(1);
    expect(s.writes).toBe(0);
  });

  it("`login xarios` takes consent on a loopback redirect and prints the refresh token to store with --secret", async () => {
    const created = q.createTenant({ name: "Login", profile: "ooma" });
    q.createPortalUser(created.id, { email: ADMIN, displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users"] });
    const platformToken = q.issueToken(created.id, ADMIN);
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist/cli/index.js"), "login", "xarios", "--login-url", `${q.url}/oauth`, "--client-id", CLIENT.id, "--port", "0", "--timeout", "30"], {
      env: { ...process.env, ANALYTICS_ACCESS_XARIOS_CLIENT_SECRET: CLIENT.secret }, stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve) => child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+\/oauth\/authorize\?\S+)/.exec(out);
      if (m) resolve(m[1]);
    }));
    // The person's browser: logged in (the platform token stands for the session), approves, is redirected.
    const consent = await fetch(url, { headers: { authorization: `Bearer ${platformToken}` }, redirect: "manual" });
    expect(consent.status).toBe(302);
    expect((await fetch(consent.headers.get("location")!)).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, out).toBe(0);
    const m = /pulumi config set --secret analytics-access:token (\S+)/.exec(out);
    expect(m, out).not.toBeNull();
    // The printed refresh token renews access tokens, and they reach the consenting tenant's users.
    const tok = await fetch(`${q.url}/oauth/token`, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: m![1], client_id: CLIENT.id, client_secret: CLIENT.secret }) });
    const { access_token } = (await tok.json()) as { access_token: string };
    const list = await fetch(`${q.url}/v1.0/accounts/${ACCOUNT}/customers/${created.id}/users`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { data: { email: string }[] }).data.map((u) => u.email)).toEqual([ADMIN]);

    const help = spawn(process.execPath, [path.join(REPO_ROOT, "dist/cli/index.js"), "login", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    help.stdout.on("data", (d: Buffer) => (text += d.toString()));
    expect(await new Promise((r) => help.on("exit", r))).toBe(0);
    expect(text).toMatch(/usage: analytics-access login xarios/);
  });

  it("speaks Xarios's documented shapes: paging, 201 with Location, JSON Patch, 402, the error envelope", async () => {
    const { id, t } = await tenant(q, "Shapes");
    const refresh = t.secrets["analytics-access:token"];
    const tok = (await (await fetch(`${q.url}/oauth/token`, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh, client_id: CLIENT.id, client_secret: CLIENT.secret }) })).json()) as { access_token: string };
    const h = { authorization: `Bearer ${tok.access_token}` };
    const base = `${q.url}/v1.0/accounts/${ACCOUNT}/customers/${id}/users`;
    const page = (await (await fetch(`${base}?pageIndex=0&pageSize=2`, { headers: h })).json()) as Record<string, unknown>;
    expect(page).toMatchObject({ page_size: 2, page_index: 0, status: "success" });
    expect((page.data as object[]).length).toBe(2);
    expect(Object.keys((page.data as object[])[0]).sort()).toEqual(["displayName", "email", "id", "isParent", "primaryTenant"]);
    const body = JSON.stringify({ email: "hal@contract.example", displayName: "Hal", roles: ["customer.user.supervisorl1"] });
    const unpaid = await fetch(base, { method: "POST", headers: { ...h, "content-type": "application/json" }, body });
    expect(unpaid.status).toBe(402);
    expect(await unpaid.json()).toMatchObject({ error: 402, status: "error", charges: ["customer.user.supervisorl1"] });
    expect(q.store.getUserByEmail(id, "hal@contract.example")).toBeUndefined();
    const created = await fetch(base, { method: "POST", headers: { ...h, "content-type": "application/json", "accept-charges": "true" }, body });
    expect(created.status).toBe(201);
    const data = ((await created.json()) as { data: { id: string; roles: string[] } }).data;
    expect(created.headers.get("location")).toMatch(new RegExp(`/users/${data.id}$`));
    expect(data.roles).toEqual(["customer.user", "customer.user.supervisorl1"]);
    const patched = await fetch(`${base}/${data.id}`, { method: "PATCH", headers: { ...h, "content-type": "application/json-patch+json" }, body: JSON.stringify([{ op: "replace", path: "/displayName", value: "Hal 9000" }]) });
    expect(await patched.json()).toMatchObject({ status: "success" });
    const missing = await fetch(`${base}/usr_999999`, { headers: h });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 404, message: "Not Found", status: "error" });
    expect((await fetch(`${base}/${data.id}`, { method: "DELETE", headers: h })).status).toBe(200);
  });
});

// The platform's RingCentral API: the JWT grant, paging, the error envelope, and the rate-limit penalty
// that a request during it restarts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "../../index";
import { setRingCentralLimits } from "./index";

let p: RunningPlatform;
let jwt = "";
const basic = `Basic ${Buffer.from("app:secret").toString("base64")}`;
const token = () => fetch(`${p.url}/restapi/oauth/token`, { method: "POST", headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwt }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  p = await startPlatform();
  const t = p.createTenant({ name: "RC", profile: "officeathand" });
  for (let i = 1; i <= 4; i++) p.addDirectoryEntry(t.id, { extension: String(500 + i), displayName: `User ${500 + i}`, email: `u${500 + i}@rc.example` });
  p.createPortalUser(t.id, { email: "admin@rc.example", displayName: "Admin", roles: ["customer.permission.website", "customer.permission.users"] });
  jwt = p.issueToken(t.id, "admin@rc.example");
});
afterAll(() => p?.close());

describe("the platform's RingCentral API", () => {
  it("exchanges a JWT for tokens, pages extensions, and answers errors in RingCentral's envelope", async () => {
    const res = await token();
    expect(res.status).toBe(200);
    const t = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
    expect(t.expires_in).toBe(7199);
    expect(JSON.stringify(p.store.db.prepare("SELECT * FROM tokens").all())).not.toContain(t.access_token);
    const auth = { Authorization: `Bearer ${t.access_token}` };
    const first = await fetch(`${p.url}/restapi/v1.0/account/~/extension?perPage=3`, { headers: auth });
    expect(first.headers.get("x-rate-limit-group")).toBe("Medium");
    expect(first.headers.get("x-rate-limit-limit")).toBe("40");
    const page1 = (await first.json()) as { records: { extensionNumber: string }[]; paging: { page: number; totalPages: number }; navigation: { nextPage?: { uri: string } } };
    expect(page1.records.map((r) => r.extensionNumber)).toEqual(["501", "502", "503"]);
    expect(page1.paging).toMatchObject({ page: 1, totalPages: 2 });
    const page2 = (await (await fetch(page1.navigation.nextPage!.uri, { headers: auth })).json()) as typeof page1;
    expect(page2.records.map((r) => r.extensionNumber)).toEqual(["504"]);
    expect(page2.navigation.nextPage).toBeUndefined();
    const missing = await fetch(`${p.url}/restapi/v1.0/account/~/user-role/nope`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errorCode: "CMN-102", message: expect.any(String), errors: [{ errorCode: "CMN-102" }] });
    expect((await fetch(`${p.url}/restapi/v1.0/account/~/extension`)).status).toBe(401);
    const refresh = (rt: string) => fetch(`${p.url}/restapi/oauth/token`, { method: "POST", headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: rt }) });
    const renewed = await refresh(t.refresh_token);
    expect(renewed.status).toBe(200);
    expect((await refresh(t.refresh_token)).status).toBe(400); // a refresh token is used once
    expect(p.stats().byRoute["rc GET /restapi/v1.0/account/~/extension"]).toBeGreaterThanOrEqual(3);
  });

  it("over a group's limit: 429 with Retry-After, and a request during the penalty restarts it", async () => {
    setRingCentralLimits(p.store, { Auth: 2, windowSeconds: 1, penaltySeconds: 2 });
    try {
      expect((await token()).status).toBe(200);
      expect((await token()).status).toBe(200);
      const over = await token();
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toBe("2");
      expect(((await over.json()) as { errorCode: string }).errorCode).toBe("CMN-301");
      await sleep(1000);
      expect((await token()).status).toBe(429); // during the penalty: restarts it (until +2 s from now)
      await sleep(1500);
      expect((await token()).status).toBe(429); // the first penalty would have ended by now
      await sleep(2200);
      expect((await token()).status).toBe(200);
    } finally {
      setRingCentralLimits(p.store, undefined);
    }
  }, 15_000);
});

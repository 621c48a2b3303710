// Generators of malformed input for the fuzz suite (test/fuzz/*.test.ts) and its longer run
// (bench/fuzz.ts): manifests that break the YAML reader's limits or its syntax, and HTTP requests
// that break the platform's framing, encoding, headers and bodies. fast-check, fixed seeds.
import fc from "fast-check";

export const SEED = 12;

const VALID = `version: 1
profile: dimensions
groups:
  - name: Sales
roles:
  - name: lead
    tier: analytics
workspaces:
  - name: Floor
    members:
      - user: ann@x.example
        access: view
users:
  - email: ann@x.example
    displayName: Ann
    tier: analytics
    permissions: { websiteAccess: true }
    groups: [Sales]
    primaryGroup: Sales
`;

const nest = (open: string, close: string, n: number, inner = "1") => open.repeat(n) + inner + close.repeat(n);

/** A manifest text that is malformed in one of many ways (the limits, syntax, junk, mutation of a valid one). */
export const badManifest: fc.Arbitrary<string> = fc.oneof(
  // a key over the length limit, at the top or inside a user
  fc.integer({ min: 1025, max: 5000 }).map((n) => `version: 1\nprofile: dimensions\n${"k".repeat(n)}: 1\n`),
  fc.integer({ min: 1025, max: 3000 }).map((n) => `version: 1\nprofile: dimensions\nusers:\n  - email: a@b.c\n    "${"q".repeat(n)}": 1\n`),
  // alias expansion ("billion laughs"), in a list the schema walks
  fc.integer({ min: 6, max: 9 }).map((w) => {
    const row = (name: string) => Array.from({ length: w }, () => `*${name}`).join(",");
    return `version: 1\nprofile: dimensions\nx0: &a0 [${Array.from({ length: w }, () => "1").join(",")}]\n` +
      Array.from({ length: 6 }, (_, i) => `x${i + 1}: &a${i + 1} [${row(`a${i}`)}]\n`).join("") + `users: [${row("a6")}]\n`;
  }),
  // nesting: flow and block, opened or closed only
  fc.integer({ min: 65, max: 20_000 }).map((n) => nest("[", "]", n)),
  fc.integer({ min: 65, max: 20_000 }).map((n) => "[".repeat(n)),
  fc.integer({ min: 1, max: 200_000 }).map((n) => "}".repeat(n)),
  fc.integer({ min: 65, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n"),
  fc.integer({ min: 33, max: 2000 }).map((n) => `version: 1\nprofile: dimensions\nusers:\n  - email: a@b.c\n    permissions: ${nest("{a: ", "}", n)}\n`),
  // many unknown keys in one mapping
  fc.integer({ min: 1, max: 3000 }).map((n) => `version: 1\nprofile: dimensions\nusers:\n  - email: a@b.c\n${Array.from({ length: n }, (_, i) => `    webSiteAcess${i}: true\n`).join("")}`),
  // junk: any text, any bytes read as text
  fc.string({ maxLength: 400 }),
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("latin1")),
  // a valid manifest mutated: a character inserted, deleted or replaced, or cut short
  fc.tuple(fc.nat(VALID.length), fc.constantFrom(":", "-", "[", "{", "}", "]", "&", "*", "!", "|", ">", "'", '"', "\t", "\u0000", "%", "@", "`", "? ", "\n  ", "<<: *x\n")).map(([i, c]) => VALID.slice(0, i) + c + VALID.slice(i)),
  fc.tuple(fc.nat(VALID.length), fc.integer({ min: 1, max: 40 })).map(([i, n]) => VALID.slice(0, i) + VALID.slice(i + n)),
  fc.nat(VALID.length).map((i) => VALID.slice(0, i)),
  // wrong types where the schema expects others
  fc.constantFrom("version: one", "profile: [x]", "users: {}", "users: [1, 2]", "groups: 7", "users:\n  - permissions: yes", "- a\n- b", "!!binary AAAA", "? [a]\n: b", "a: !!str\n  - x", "a: &x\n  b: *x", "x: *undefined_alias", "---\na: 1\n---\nb: 2").map((s) => `version: 1\nprofile: dimensions\n${s}\n`),
);

// ---------- HTTP ----------

export type RawRequest = { kind: string; method: string; target: string; headers: Record<string, string>; body?: string | Buffer };

const token = "%T%"; // replaced by a valid token when the request is sent
const auth = { authorization: `Bearer ${token}` };
const json = { "content-type": "application/json" };
const name = fc.oneof(
  fc.string({ minLength: 101, maxLength: 300 }),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\u0000", "\n", "\r", "\t", "\u001b", "\u007f", "\u2028"), fc.string({ maxLength: 20 })).map(([a, c, b]) => `${a}x${c}x${b}`),
  fc.constantFrom("", " ", "   "),
);

/** A request the platform must refuse cleanly (400, 401, 404, 405, 412, 413, 415, 422: never 500, always problem+json). */
export const badRequest = (ids: { group: string; user: string }): fc.Arbitrary<RawRequest> => fc.oneof(
  // bad percent-encoding in a path segment
  fc.constantFrom("%", "%E0%A4%A", "%zz", "%C3%28", "%ED%A0%80", "a%2", "%%41").map((seg): RawRequest => ({ kind: "percent", method: "GET", target: `/api/v1/groups/${seg}`, headers: auth })),
  fc.constantFrom("%", "%zz", "%C3%28").map((seg): RawRequest => ({ kind: "percent-patch", method: "PATCH", target: `/api/v1/users/${seg}`, headers: { ...auth, ...json }, body: "{}" })),
  // malformed request targets
  fc.constantFrom("//", "//x:99999/a", "http://[::1", "*", "api/v1/users", "/api/v1/../../etc", "/api/v1/users?%", "/api/v1/users#x", "/\u00ff", "/api/v1/users?limit=%zz", "/api/v1/users?cursor=%FF").map((t): RawRequest => ({ kind: "target", method: "GET", target: t, headers: auth })),
  // deep JSON, with an Idempotency-Key (hashed) and without
  fc.integer({ min: 33, max: 100_000 }).map((n): RawRequest => ({ kind: "deep-json", method: "POST", target: "/api/v1/groups", headers: { ...auth, ...json, "idempotency-key": `k-${n}` }, body: `{"name":${"[".repeat(n)}${"]".repeat(n)}}` })),
  // names with control characters, too long, empty
  name.map((n): RawRequest => ({ kind: "name", method: "POST", target: "/api/v1/groups", headers: { ...auth, ...json }, body: JSON.stringify({ name: n }) })),
  name.map((n): RawRequest => ({ kind: "name-patch", method: "PATCH", target: `/api/v1/groups/${ids.group}`, headers: { ...auth, ...json }, body: JSON.stringify({ name: n }) })),
  name.map((n) => (n.length > 100 ? n.padEnd(201, "n") : n)).map((n): RawRequest => ({ kind: "display-name", method: "POST", target: "/api/v1/users", headers: { ...auth, ...json }, body: JSON.stringify({ displayName: n, email: "fz@x.example" }) })),
  fc.string({ minLength: 501, maxLength: 900 }).map((d): RawRequest => ({ kind: "description", method: "POST", target: "/api/v1/workspaces", headers: { ...auth, ...json }, body: JSON.stringify({ name: "Fuzz", description: d }) })),
  // JSON under another content type, or none
  fc.constantFrom("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "").map((t): RawRequest => ({ kind: "content-type", method: "POST", target: "/api/v1/groups", headers: { ...auth, ...(t ? { "content-type": t } : {}) }, body: JSON.stringify({ name: "Typed" }) })),
  // not JSON
  fc.string({ maxLength: 200 }).filter((s) => { try { JSON.parse(s); return false; } catch { return s.trim() !== ""; } }).map((b): RawRequest => ({ kind: "bad-json", method: "POST", target: "/api/v1/groups", headers: { ...auth, ...json }, body: b })),
  // the body: a JSON value of the wrong shape
  fc.json({ maxDepth: 4 }).filter((b) => b !== "{}").map((b): RawRequest => ({ kind: "shape", method: "POST", target: "/api/v1/users", headers: { ...auth, ...json }, body: b })),
  // an empty Idempotency-Key
  fc.constantFrom("", " ", "\t").map((k): RawRequest => ({ kind: "idempotency", method: "POST", target: "/api/v1/groups", headers: { ...auth, ...json, "idempotency-key": k }, body: JSON.stringify({ name: "Idem" }) })),
  // a weak ETag in If-Match
  fc.constantFrom('W/"1"', 'W/"2"', ' W/"1" ', 'W/"1", W/"2"').map((e): RawRequest => ({ kind: "weak-etag", method: "PATCH", target: `/api/v1/groups/${ids.group}`, headers: { ...auth, ...json, "if-match": e }, body: JSON.stringify({ name: "Renamed" }) })),
  // cursors: another collection's, forged, junk
  fc.tuple(fc.constantFrom("users", "directory", "audit", "workspace-grants"), fc.constantFrom("groups", "users", "directory", "workspace-grants")).filter(([a, b]) => a !== b).map(([from, to]): RawRequest => ({
    kind: "cursor", method: "GET", target: `/api/v1/${to}?cursor=${Buffer.from(JSON.stringify({ c: from, a: from === "audit" ? 1 : "usr_000001" })).toString("base64url")}`, headers: auth })),
  fc.string({ maxLength: 60 }).map((c): RawRequest => ({ kind: "cursor-junk", method: "GET", target: `/api/v1/groups?cursor=${encodeURIComponent(c || "x")}`, headers: auth })),
  fc.oneof(fc.integer(), fc.string({ maxLength: 8 })).map((l): RawRequest => ({ kind: "limit", method: "GET", target: `/api/v1/groups?limit=${encodeURIComponent(String(l))}`, headers: auth })).filter((r) => !/limit=([1-9]\d?|[1-4]\d\d|500)?$/.test(r.target)),
  // no or a bad credential, with a body (not read)
  fc.constantFrom("", "Bearer", "Bearer x", "Basic abc", `Bearer ${"a".repeat(3000)}`).map((a): RawRequest => ({ kind: "auth", method: "POST", target: "/api/v1/groups", headers: { ...(a ? { authorization: a } : {}), ...json }, body: JSON.stringify({ name: "NoAuth" }) })),
  // unknown routes and methods
  fc.tuple(fc.constantFrom("GET", "PUT", "TRACE", "OPTIONS", "DELETE", "PATCH"), fc.constantFrom("/api/v1/groups", "/api/v1/nope", "/api/v2/users", "/api/v1/", "/api/v1/users/x/y")).map(([m, t]): RawRequest => ({ kind: "route", method: m, target: t, headers: auth })).filter((r) => !(r.method === "GET" && r.target === "/api/v1/groups")),
);

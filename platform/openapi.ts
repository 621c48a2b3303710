// Generates the OpenAPI 3.1 document from the route table and its zod schemas.
// `analytics-access platform openapi --write` refreshes platform/openapi.json (checked in);
// a test fails when the checked-in file is out of date.
import { z } from "zod";
import { ROUTES } from "./routes";
import { Problem as ProblemSchema } from "./schemas";
import { PROBLEM_TITLES } from "./problem";
import { CODES } from "./codes";

const codesWith = (status: number) => Object.entries(CODES).filter(([, c]) => (c.status as readonly number[]).includes(status)).map(([code]) => code);

type Json = Record<string, unknown>;

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === "$schema" || k === "$id") continue;
      out[k] = k === "$ref" && typeof v === "string" ? v.replace("#/$defs/", "#/components/schemas/") : rewriteRefs(v);
    }
    return out;
  }
  return node;
}

export function buildOpenApi(): Json {
  const components: Record<string, unknown> = {};
  const schemaRef = (schema: z.ZodType, io: "input" | "output"): unknown => {
    const js = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, unknown>;
    for (const [name, def] of Object.entries(defs)) if (!(name in components)) components[name] = rewriteRefs(def);
    const { $defs: _d, ...rest } = js;
    return rewriteRefs(rest);
  };
  const problemRef = schemaRef(ProblemSchema, "output");

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params: unknown[] = [];
    for (const m of r.path.matchAll(/\{(\w+)\}/g)) params.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
    for (const q of r.query ?? []) params.push({ name: q.name, in: "query", required: false, description: q.description, schema: { type: "string" } });
    if (r.ifMatch) params.push({ name: "If-Match", in: "header", required: false, description: "ETag from a previous read; 412 ETAG when the entity changed since", schema: { type: "string" } });
    if (r.idempotent) params.push({ name: "Idempotency-Key", in: "header", required: false, description: "Same key with the same token returns the first response without a second write", schema: { type: "string", maxLength: 200 } });
    params.push({ name: "X-Request-Id", in: "header", required: false, description: "Echoed back; generated when absent", schema: { type: "string" } });

    const responses: Record<string, unknown> = {};
    responses[String(r.status)] = r.response
      ? { description: "OK", content: { "application/json": { schema: schemaRef(r.response, "output") } } }
      : { description: r.status === 204 ? "No content" : "OK" };
    // Refusals: those the route's other fields imply, then the operation's own (codes.ts says which status each comes with).
    const own = r.codes ?? {};
    const errs = new Set<number>([
      401, 429, ...(r.admin ? [403, ...(r.method === "GET" ? [] : [415])] : [500, 503]), ...(r.request ? [400, 422] : []),
      ...(r.permission ? [403] : []), ...(/\{\w+\}/.test(r.path) ? [404] : []), ...(r.ifMatch ? [412] : []),
      ...Object.keys(own).map(Number),
    ]);
    const implied: Record<number, string[]> = {
      401: r.admin ? ["ADMIN-CREDENTIAL"] : codesWith(401).filter((c) => c !== "ADMIN-CREDENTIAL"), 403: r.admin ? ["CROSS-SITE"] : r.permission ? [`PERM-${r.permission}`] : [],
      404: ["NOT-FOUND"], 412: ["ETAG"], 429: r.admin ? ["AUTH-THROTTLED"] : ["RATE-LIMIT", "AUTH-THROTTLED"], 415: ["CONTENT-TYPE"],
      400: ["BAD-JSON", "CURSOR"], 500: ["INTERNAL", "FAULT-500"], 503: ["FAULT-503"], 422: r.request ? ["VALIDATION"] : [],
    };
    for (const s of [...errs].sort()) {
      const codes = [...(implied[s] ?? []), ...(own[s as keyof typeof own] ?? [])];
      responses[String(s)] = { description: `${PROBLEM_TITLES[s] ?? "Error"}${codes.length ? `; codes: ${codes.join(", ")}` : ""}`, content: { "application/problem+json": { schema: problemRef } } };
    }
    const billable = own[403]?.includes("BILL-1") ? " (+ customer.permission.billable for billable items)" : "";
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/\{(\w+)\}/g, "By-$1").split(/[/-]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("")}`,
      summary: r.summary, tags: [r.tag], parameters: params, responses,
      ...(r.permission ? { description: `Needs ${r.permission}${billable}.` } : {}),
      ...(r.admin ? { description: "The service provider's administration: the platform's admin credential (Authorization: Bearer aak_…), never a tenant token; same-site only; Content-Type: application/json on every method but GET.", security: [{ adminKey: [] }] } : {}),
    };
    if (r.request) op.requestBody = { required: true, content: { "application/json": { schema: schemaRef(r.request, "input") } } };
    (paths[`/api/v1${r.path}`] ??= {})[r.method.toLowerCase()] = op;
  }
  const sorted = Object.fromEntries(Object.keys(components).sort().map((k) => [k, components[k]]));
  return {
    openapi: "3.1.0",
    info: {
      title: "analytics-access reference platform",
      version: "1",
      description: "A local call-analytics portal that behaves like the vendors' servers. Bearer tokens bind one tenant and one portal user; that user's permission keys gate the API. Errors are application/problem+json with a stable code. Entities carry an etag; PATCH/PUT/DELETE honour If-Match (412 ETAG). POST honours Idempotency-Key. Every response carries X-Request-Id; API responses carry X-Rate-Limit-Limit/Remaining/Window and 429 carries Retry-After. See platform/README.md.",
    },
    servers: [{ url: "http://127.0.0.1:4780" }],
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A tenant's API token (aat_…)" }, adminKey: { type: "http", scheme: "bearer", description: "The platform's admin credential (aak_…), printed by `platform serve` or set in ANALYTICS_ACCESS_PLATFORM_ADMIN_KEY" } }, schemas: sorted },
  };
}

// The checked-in OpenAPI document is what the code generates (refresh: analytics-access platform openapi --write).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../../platform/openapi";
import { ROUTES } from "../../platform/routes";

describe("OpenAPI document", () => {
  const doc = buildOpenApi() as any;

  it("platform/openapi.json is up to date", () => {
    const onDisk = JSON.parse(readFileSync(join(__dirname, "../../platform/openapi.json"), "utf8"));
    expect(onDisk, "platform/openapi.json is stale: run `node dist/cli/index.js platform openapi --write` after npm run build").toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("documents every route, its body and its problem responses", () => {
    for (const r of ROUTES) {
      const op = doc.paths[`/api/v1${r.path}`]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      if (r.request) expect(op.requestBody.content["application/json"].schema).toBeDefined();
      if (r.auth !== false) expect(op.responses["401"].content["application/problem+json"]).toBeDefined();
    }
    expect(doc.components.schemas.User.required).toEqual(expect.arrayContaining(["id", "origin", "roles", "etag"]));
    expect(doc.paths["/api/v1/users/{id}"].patch.responses["409"].description).toMatch(/SRC-4/);
    expect(doc.paths["/api/v1/users"].post.parameters.map((p: { name: string }) => p.name)).toContain("Idempotency-Key");
  });
});

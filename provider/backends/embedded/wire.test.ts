// ./wire.ts is what openapi-typescript generates from platform/openapi.json (refresh: `npm run wire`),
// and it types the embedded backend's requests: a body the platform's schema would refuse does not
// compile. The second half is checked by `npm run typecheck` (each @ts-expect-error must be an error),
// not at run time.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import type { Http } from "./http";

describe("the embedded backend's wire types", () => {
  it("provider/backends/embedded/wire.ts is what platform/openapi.json generates", async () => {
    const spec = pathToFileURL(join(__dirname, "../../../platform/openapi.json"));
    // As `npm run wire` runs it: openapi-typescript <spec> --default-non-nullable false (a field
    // with a default is optional in a request body, as the platform's zod input schema has it).
    const generated = COMMENT_HEADER + astToString(await openapiTS(spec, { defaultNonNullable: false }));
    const onDisk = readFileSync(join(__dirname, "wire.ts"), "utf8");
    expect(onDisk === generated, "provider/backends/embedded/wire.ts is stale: run `npm run wire`").toBe(true);
  });
});

/** Never called: what the compiler accepts and refuses of requests to the platform. */
export function requestsTheCompilerChecks(http: Http): void {
  // What the platform's schemas take.
  void http.call("POST", "/groups", { body: { name: "Sales" } });
  void http.call("POST", "/groups", { body: { name: "Sales", description: "" } });
  void http.call("PATCH", "/workspaces/{id}", { params: { id: "w1" }, body: { description: "" }, ifMatch: "3" });
  void http.call("PATCH", "/workspace-grants/{id}", { params: { id: "g1" }, body: { access: "admin" } });
  void http.call("POST", "/users", { body: { displayName: "Ann", email: "ann@x.example", roles: [], softphoneDevice: null } });
  void http.call("GET", "/tenant");

  // @ts-expect-error: GroupCreate.description is a string: the platform answers `description: null` with 422
  void http.call("POST", "/groups", { body: { name: "Sales", description: null } });
  // @ts-expect-error: WorkspacePatch.description likewise (the adoption of a workspace declared without one)
  void http.call("PATCH", "/workspaces/{id}", { params: { id: "w1" }, body: { description: null } });
  // @ts-expect-error: GroupCreate is a strict object: an unknown key is a 422
  void http.call("POST", "/groups", { body: { name: "Sales", colour: "red" } });
  // @ts-expect-error: a grant's access is admin or view
  void http.call("PATCH", "/workspace-grants/{id}", { params: { id: "g1" }, body: { access: "owner" } });
  // @ts-expect-error: UserCreate needs an email
  void http.call("POST", "/users", { body: { displayName: "Ann" } });
  // @ts-expect-error: the path's {id} must be given
  void http.call("PATCH", "/groups/{id}", { body: { name: "Sales" } });
  // @ts-expect-error: no such route
  void http.call("POST", "/group", { body: { name: "Sales" } });
  // @ts-expect-error: no PUT on a group
  void http.call("PUT", "/groups/{id}", { params: { id: "g1" }, body: { name: "Sales" } });
}

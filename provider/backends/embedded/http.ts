// The platform's API typed by path and method from ./wire.ts (generated from platform/openapi.json,
// which platform/schemas.ts and platform/routes.ts generate): one contract types both ends, so a
// request body the platform's schema would refuse (an unknown key, `description: null`) does not
// compile. The requests themselves go through ../../client.ts (pacing, retries, budget).
import type { PlatformClient } from "../../client";
import type { paths } from "./wire";

const BASE = "/api/v1";
type Full = keyof paths;
/** The API's paths as the client takes them (after /api/v1). */
export type Path = Full extends `${typeof BASE}${infer P}` ? P : never;
type Item<P extends Path> = paths[`${typeof BASE}${P}`];

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
type Operation<P extends Path, M extends Method> = Item<P>[Lowercase<M>];
/** Methods the path has. */
export type MethodOf<P extends Path> = { [M in Method]: Operation<P, M> extends { responses: unknown } ? M : never }[Method];

type Json<C> = C extends { content: { "application/json": infer B } } ? B : never;
/** The request body the platform's schema takes (never: none). */
export type Body<P extends Path, M extends Method> = Operation<P, M> extends { requestBody: infer R } ? Json<R> : Operation<P, M> extends { requestBody?: infer R } ? Json<R> : never;
/** The success answer's body (undefined for 204). */
export type Answer<P extends Path, M extends Method> = Operation<P, M> extends { responses: infer R }
  ? R extends { 200: infer A } ? Json<A> : R extends { 201: infer A } ? Json<A> : undefined
  : never;
type PathParams<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { path: infer X } } ? X : never;
type Sends<P extends Path, M extends Method> = [Body<P, M>] extends [never] ? { body?: undefined } : { body: Body<P, M> };
type Params<P extends Path, M extends Method> = [PathParams<P, M>] extends [never] ? { params?: undefined } : { params: PathParams<P, M> };
type IfMatch<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { header?: { "If-Match"?: string } } } ? { ifMatch?: string } : { ifMatch?: undefined };
export type Request<P extends Path, M extends Method> = Sends<P, M> & Params<P, M> & IfMatch<P, M>;

/** Paths whose GET answers a list (`items`, paged by `nextCursor` where it has one). */
export type ListPath = { [P in Path]: "GET" extends MethodOf<P> ? (Answer<P, "GET"> extends { items: unknown[] } ? P : never) : never }[Path];
export type ItemOf<P extends ListPath> = Answer<P, "GET"> extends { items: (infer T)[] } ? T : never;

/** `/users/{id}` with `{ id }` filled in (encoded). */
function fill(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`${path}: no value for {${name}}`);
    return encodeURIComponent(v);
  });
}

export class Http {
  constructor(readonly client: PlatformClient) {}

  async call<P extends Path, M extends MethodOf<P>>(method: M, path: P, ...request: {} extends Request<P, M> ? [Request<P, M>?] : [Request<P, M>]): Promise<Answer<P, M>> {
    const r = (request[0] ?? {}) as { body?: unknown; params?: Record<string, string>; ifMatch?: string };
    const res = await this.client.request<Answer<P, M>>(method, fill(path, r.params), { body: r.body, ifMatch: r.ifMatch });
    return res.body;
  }

  /** Every item of a list, page by page. */
  list<P extends ListPath>(path: P): Promise<ItemOf<P>[]> {
    return this.client.list<ItemOf<P>>(path);
  }
}

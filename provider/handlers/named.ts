import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { PlatformError } from "../client";
import type { Handler } from "../runtime/host";
import { configureSession, type Session, session } from "../session";
import { createOrAdopt, schemaFailures } from "./common";

interface NamedEntity { id: string; name: string; description?: string | null; etag: string }

/**
 * Handlers for an entity identified by its name (groups, workspaces): adopted by name on create,
 * renamed in place, read from one list per run, deleted for real.
 */
export function namedEntityHandler(opts: {
  path: string;
  schema: z.ZodType<{ name: string; description?: string }>;
  list: (s: Session) => Promise<NamedEntity[]>;
  cacheKey: string;
}): Handler {
  const strip = ({ __provider: _p, entityId: _i, etag: _e, ...rest }: Record<string, unknown>) => rest;
  const outputs = (e: NamedEntity) => ({ name: e.name, ...(e.description ? { description: e.description } : {}), entityId: e.id, etag: e.etag });
  const changed = (s: Session) => s.invalidate(opts.cacheKey, "facts");
  return {
    configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),
    async check(_olds, news) {
      const parsed = opts.schema.safeParse(strip(news));
      return parsed.success ? { inputs: parsed.data } : { failures: schemaFailures(parsed.error) };
    },
    async diff(_id, olds, news) {
      const a = strip(olds), b = strip(news);
      return { changes: a.name !== b.name || (a.description ?? null) !== (b.description ?? null) };
    },
    async create(inputs) {
      const s = session();
      const want = strip(inputs) as { name: string; description?: string };
      const adopt = async (e: NamedEntity) =>
        (await s.client.request<NamedEntity>("PATCH", `${opts.path}/${e.id}`, { body: { description: want.description ?? null }, ifMatch: e.etag })).body;
      const existing = (await opts.list(s)).find((e) => e.name === want.name);
      const res = existing
        ? await adopt(existing)
        : await createOrAdopt(
            async () => (await s.client.request<NamedEntity>("POST", opts.path, { body: want })).body,
            async (existingId) => adopt(await s.client.get<NamedEntity>(`${opts.path}/${existingId}`)),
          );
      changed(s);
      return { id: res.id, outs: outputs(res) };
    },
    async read(id) {
      const found = (await opts.list(session())).find((e) => e.id === id);
      return found ? { id, props: outputs(found) } : { id: "", props: {} };
    },
    async update(id, olds, news) {
      const s = session();
      const want = strip(news);
      const res = await s.client.request<NamedEntity>("PATCH", `${opts.path}/${id}`, { body: { name: want.name, description: want.description ?? null }, ifMatch: String(olds.etag) });
      changed(s);
      return { outs: outputs(res.body) };
    },
    async delete(id) {
      const s = session();
      try {
        await s.client.request("DELETE", `${opts.path}/${id}`);
      } catch (err) {
        if (!(err instanceof PlatformError && err.status === 404)) throw err;
      }
      changed(s);
    },
  };
}

import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { PlatformError } from "../client";
import type { Plan } from "../plan";
import type { Handler } from "../runtime/host";
import { configureSession, session } from "../session";
import { createOrAdopt, declarationDiff, parseKnown, schemaFailures, splitUnknowns } from "./common";

interface NamedEntity { id: string; name: string; description?: string | null; etag: string }

/**
 * Handlers for an entity identified by its name (groups, workspaces): adopted by name on create,
 * renamed in place, read from one list per run, deleted for real. Check tells the run's plan the
 * name exists from now on, so users and grants checked after it may use it.
 */
export function namedEntityHandler(opts: {
  path: string;
  schema: z.ZodObject;
  collection: "groups" | "workspaces";
  declare: (plan: Plan, name: string) => void;
}): Handler {
  const strip = ({ __provider: _p, entityId: _i, etag: _e, ...rest }: Record<string, unknown>) => rest;
  const declaration = (e: { name: string; description?: string | null }) => ({ name: e.name, ...(e.description ? { description: e.description } : {}) });
  const outputs = (e: NamedEntity) => ({ ...declaration(e), entityId: e.id, etag: e.etag });
  return {
    configure: (req: pulumi.dynamic.ConfigureRequest) => configureSession(req),
    async check(_olds, news) {
      const split = splitUnknowns(strip(news));
      const values = split.values;
      const parsed = parseKnown(opts.schema, split);
      if (!parsed.success) return { failures: schemaFailures(parsed.error) };
      const want = parsed.data as { name?: string; description?: string };
      if (want.name !== undefined) opts.declare(await session().plan(), want.name);
      return { inputs: { ...(want.name !== undefined ? declaration(want as { name: string }) : {}), ...values } };
    },
    async diff(_id, olds, news) {
      const before = declaration(strip(olds) as unknown as NamedEntity);
      const after = splitUnknowns(strip(news)).unknown.length ? strip(news) : declaration(strip(news) as unknown as NamedEntity);
      return declarationDiff(before, after);
    },
    async create(inputs) {
      const s = session();
      const want = strip(inputs) as { name: string; description?: string };
      // The platform stores a description always ("" when none): adopting one makes it what is declared.
      const adopt = async (e: NamedEntity) =>
        (await s.client.request<NamedEntity>("PATCH", `${opts.path}/${e.id}`, { body: { description: want.description ?? "" }, ifMatch: e.etag })).body;
      const existing = (await s.list(opts.collection)).find((e) => e.name === want.name);
      const res = existing
        ? await adopt(existing)
        : await createOrAdopt(
            async () => (await s.client.request<NamedEntity>("POST", opts.path, { body: want })).body,
            async (existingId) => adopt(await s.client.get<NamedEntity>(`${opts.path}/${existingId}`)),
          );
      await s.put(opts.collection, { ...res, description: res.description ?? "" });
      return { id: res.id, outs: outputs(res) };
    },
    async read(id) {
      const found = (await session().list(opts.collection)).find((e) => e.id === id);
      return found ? { id, props: outputs(found), inputs: declaration(found) } : { id: "", props: {} };
    },
    async update(id, olds, news) {
      const s = session();
      const want = strip(news) as { name: string; description?: string };
      const res = await s.client.request<NamedEntity>("PATCH", `${opts.path}/${id}`, { body: { name: want.name, description: want.description ?? "" }, ifMatch: String(olds.etag) });
      await s.put(opts.collection, { ...res.body, description: res.body.description ?? "" });
      return { outs: outputs(res.body) };
    },
    async delete(id) {
      const s = session();
      try {
        await s.client.request("DELETE", `${opts.path}/${id}`);
      } catch (err) {
        if (!(err instanceof PlatformError && err.status === 404)) throw err;
      }
      await s.remove(opts.collection, id);
    },
  };
}

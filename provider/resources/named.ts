import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { NamedRecord } from "../backends/backend";
import type { Plan } from "../plan";
import { configureSession, session } from "../session";
import { createOrAdopt, declarationDiff, deleteIfThere, etagOf, etagOutput, parseKnown, schemaFailures, splitUnknowns } from "./common";
import type { DeclaredOutputs, KindHandler } from "./kind";

/**
 * Handlers for an entity identified by its name (groups, workspaces): adopted by name on create,
 * renamed in place, read from one list per run, deleted for real. Check tells the run's plan the
 * name exists from now on, so users and grants checked after it may use it.
 */
export function namedEntityHandler(opts: {
  schema: z.ZodObject;
  collection: "groups" | "workspaces";
  outputs: DeclaredOutputs;
  declare: (plan: Plan, name: string) => void;
}): KindHandler {
  const { strip } = opts.outputs;
  const store = () => session().backend[opts.collection];
  const declaration = (e: { name: string; description?: string | null }) => ({ name: e.name, ...(e.description ? { description: e.description } : {}) });
  const outputs = (e: NamedRecord) => ({ ...declaration(e), entityId: e.id, ...etagOutput(e) });
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
      const before = declaration(strip(olds) as unknown as NamedRecord);
      const after = splitUnknowns(strip(news)).unknown.length ? strip(news) : declaration(strip(news) as unknown as NamedRecord);
      return declarationDiff(before, after);
    },
    async create(inputs) {
      const s = session();
      const want = strip(inputs) as { name: string; description?: string };
      // The platform stores a description always ("" when none): adopting one makes it what is declared.
      const adopt = (e: NamedRecord) => store().update(e.id, { description: want.description ?? "" }, e.etag);
      const existing = (await s.list(opts.collection)).find((e) => e.name === want.name);
      const res = existing
        ? await adopt(existing)
        : await createOrAdopt(
            s.backend,
            () => store().create(want),
            async (existingId) => adopt(await store().get(existingId)),
          );
      await s.put(opts.collection, res);
      return { id: res.id, outs: outputs(res) };
    },
    async read(id) {
      const found = (await session().list(opts.collection)).find((e) => e.id === id);
      return found ? { id, props: outputs(found), inputs: declaration(found) } : { id: "", props: {} };
    },
    async update(id, olds, news) {
      const s = session();
      const want = strip(news) as { name: string; description?: string };
      const res = await store().update(id, { name: want.name, description: want.description ?? "" }, etagOf(olds));
      await s.put(opts.collection, res);
      return { outs: outputs(res) };
    },
    async delete(id) {
      const s = session();
      await deleteIfThere(s.backend, () => store().delete(id));
      await s.remove(opts.collection, id);
    },
  };
}

/**
 * `echo`: a diagnostic provider kind with no remote side. It proves the stub/host wiring end to
 * end (configure → check → diff → create → read → update → delete) and is used by test/engine.
 *
 * Inputs: `{ key: string, value: string, fail?: "check" | "create" | "leak", delayMs?: number }`.
 * - check fails when `key` or `value` is missing/not a string (`property` names the field);
 * - diff replaces on `key` change, updates on `value` change;
 * - outputs echo the inputs plus `endpoint`, `authenticated` (token present, never the token),
 *   `revision` (1 on create, +1 per update) and `kind`.
 * - config `analytics-access:echo-fail-configure: "true"` makes configure throw (with the token in
 *   the message), to prove every later call reports it, scrubbed.
 * - `fail: "leak"` makes create and delete throw errors that contain the token, to prove the
 *   runtime scrubs secrets from errors (the host prints Delete errors to its stderr).
 * - `delayMs` makes create, update and delete take that long, to observe the engine's ordering.
 */
import type * as pulumi from "@pulumi/pulumi";
import { configValue, type Handler } from "./host";

interface EchoSettings {
  endpoint?: string;
  token?: string;
}

const settings: EchoSettings = {};

function outputsFor(inputs: Record<string, unknown>, revision: number): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = inputs;
  return {
    ...rest,
    kind: "echo",
    endpoint: settings.endpoint ?? null,
    authenticated: Boolean(settings.token),
    revision,
  };
}

const pause = (props: any) => new Promise((r) => setTimeout(r, typeof props?.delayMs === "number" ? props.delayMs : 0));

export const handler: Handler = {
  configure(req: pulumi.dynamic.ConfigureRequest) {
    settings.endpoint = configValue(req, "endpoint");
    settings.token = configValue(req, "token");
    if (configValue(req, "echo-fail-configure") === "true") {
      throw new Error(`echo: configure refused token ${settings.token}`);
    }
  },

  async check(_olds: any, news: any): Promise<pulumi.dynamic.CheckResult> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const field of ["key", "value"]) {
      if (typeof news?.[field] !== "string" || news[field] === "") {
        failures.push({ property: field, reason: `${field} must be a non-empty string` });
      }
    }
    if (news?.fail === "check") {
      failures.push({ property: "fail", reason: "check failure requested (token was " + settings.token + ")" });
    }
    const inputs = { ...news };
    if (typeof inputs.key === "string") inputs.key = inputs.key.trim();
    return failures.length > 0 ? { failures } : { inputs };
  },

  async diff(_id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult> {
    const replaces = olds.key !== news.key ? ["key"] : [];
    const changes = replaces.length > 0 || olds.value !== news.value || olds.fail !== news.fail;
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: any): Promise<pulumi.dynamic.CreateResult> {
    await pause(inputs);
    if (inputs.fail === "create") throw new Error(`echo: create of ${inputs.key} failed as requested`);
    if (inputs.fail === "leak") throw new Error(`echo: rejected token ${settings.token} at ${settings.endpoint}`);
    return { id: `echo-${inputs.key}`, outs: outputsFor(inputs, 1) };
  },

  async read(id: string, props: any): Promise<pulumi.dynamic.ReadResult> {
    return { id, props: { ...props, endpoint: settings.endpoint ?? null } };
  },

  async update(_id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult> {
    await pause(news);
    const revision = typeof olds.revision === "number" ? olds.revision + 1 : 1;
    return { outs: outputsFor(news, revision) };
  },

  async delete(id: string, props: any): Promise<void> {
    await pause(props);
    // Nothing remote to delete.
    if (props?.fail === "leak") throw new Error(`echo: delete of ${id} rejected token ${settings.token}`);
  },
};

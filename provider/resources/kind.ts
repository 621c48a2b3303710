// What every resource kind is made of (./<kind>.ts defines one; ./index.ts registers it), and the
// parts the Pulumi classes share.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { Handler, MethodName } from "../runtime/host";

export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
export type Outputs<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/** The Pulumi package of the resources' type tokens (`analytics-access:index:User`). */
export const MODULE = "analytics-access";
const TOKEN_KEY = "analytics-access:token";

/** A kind's handler: every method of a dynamic provider, none optional (a missing `delete` would make the host report success and drop the resource). */
export type KindHandler = Required<Pick<Handler, MethodName>> & Pick<Handler, "configure">;

/** The keys of T not in L: what a list declared for T still misses. */
type Missing<T, L extends readonly unknown[]> = Exclude<keyof T, L[number]>;

/**
 * Outputs beyond the declared inputs: what the engine answers for every resource of the kind. The
 * SDK makes outputs only of the keys it is given (each costing a few promises and stack traces per
 * resource, measured), hence the short lists: a kind's computed outputs (the portal's id and
 * version) and the inputs a program reads back (a user's identity: the email of a PBX user
 * declared by extension is `user.email`, known at preview, since the engine hands back checked
 * inputs as a new resource's outputs there).
 *
 * `declareOutputs<Computed>()({ inputs, computed })`: `computed` must list every key of Computed
 * (the compiler names a missing one), so the class's typed outputs, the keys the SDK is given and
 * what the handler strips from a resource's properties come from this one declaration.
 */
export function declareOutputs<Computed>() {
  return <const I extends readonly string[], const C extends readonly (keyof Computed & string)[]>(o: {
    inputs: I;
    computed: C & ([Missing<Computed, C>] extends [never] ? unknown : { "computed outputs missing": Missing<Computed, C> });
  }) => {
    const answered = [...o.inputs, ...o.computed];
    const computed: readonly string[] = o.computed;
    return {
      /** Every key the engine answers, in the order the SDK is given them. */
      answered,
      /** The outputs that are not inputs. */
      computed: o.computed as C,
      /** `{ key: undefined }` per answered key: spread under a resource's args, it makes the SDK answer those outputs. */
      placeholders: (): Record<I[number] | C[number], undefined> => Object.fromEntries(answered.map((k) => [k, undefined])) as Record<I[number] | C[number], undefined>,
      /** A resource's properties without the serialized provider and the computed outputs: the declaration. */
      strip: (props: Record<string, unknown>): Record<string, unknown> =>
        Object.fromEntries(Object.entries(props).filter(([k]) => k !== "__provider" && !computed.includes(k))),
    };
  };
}
/** What a kind's handler uses of its declared outputs. */
export interface DeclaredOutputs {
  readonly computed: readonly string[];
  strip(props: Record<string, unknown>): Record<string, unknown>;
}

/**
 * One resource kind: its name (the string stored in state with every resource's provider stub,
 * which must never change for existing states), its Pulumi class, the schema of what a program
 * declares, its outputs and its handler. ./index.ts is the registry of them.
 */
export interface KindDefinition<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly kind: K;
  readonly resource: abstract new (...args: never[]) => pulumi.dynamic.Resource;
  /** What a program declares (the fields a backend may be unable to carry: ../backends/backend.ts `Capabilities`). */
  readonly schema: S;
  readonly outputs: DeclaredOutputs;
  readonly handler: KindHandler;
}

export function defineKind<const K extends string, S extends z.ZodObject>(definition: KindDefinition<K, S>): KindDefinition<K, S> {
  return definition;
}

let tokenChecked = false;
/**
 * Pulumi records the stack's whole configuration in its state, as the inputs of the provider that
 * dynamic resources run on (engine: deploy/target.go `GetPackageConfig`). A token set without
 * --secret is therefore stored there in plain text: say so at every preview and update.
 */
export function warnIfTokenIsPlain(): void {
  if (tokenChecked) return;
  tokenChecked = true;
  if (pulumi.runtime.getConfig(TOKEN_KEY) === undefined) return;
  const secretKeys: unknown = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "[]");
  if (Array.isArray(secretKeys) && secretKeys.includes(TOKEN_KEY)) return;
  void pulumi.log.warn(
    `${TOKEN_KEY} is plain configuration, so Pulumi stores it in this stack's state in plain text (the provider's recorded inputs). ` +
      `Set it as a secret: \`pulumi config set --secret ${TOKEN_KEY} <token>\`, or leave it out and set ANALYTICS_ACCESS_TOKEN in the environment.`,
  );
}

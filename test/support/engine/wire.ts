/**
 * What travels between the engine, the language SDK and a provider: protobuf Structs carrying
 * plain JSON plus two sentinels (pulumi/pulumi sdk/nodejs/runtime/rpc.ts: `specialSigKey`,
 * `specialSecretSig`, `unknownValue`; the engine's marshaller is pkg/resource/plugin/rpc.go).
 */
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

export type Props = Record<string, unknown>;

/** The key and signature that mark a secret value on the wire. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's placeholder for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Wrap a value the way the engine marks a secret on the wire. */
export function secret(value: unknown): Props {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export function isSecret(v: unknown): v is { value: unknown } {
  return Boolean(v && typeof v === "object" && (v as Props)[SECRET_SIG_KEY] === SECRET_SIG);
}

/** Replace secret markers by their plain values (what the engine sends a provider with acceptSecrets=false). */
export function unwrapSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") {
    if (isSecret(v)) return unwrapSecrets(v.value);
    return Object.fromEntries(Object.entries(v as Props).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

export function containsUnknowns(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknowns);
  if (v && typeof v === "object") return Object.values(v as Props).some(containsUnknowns);
  return false;
}

export function toStruct(props: Props | undefined): structproto.Struct {
  // Struct.fromJavaScript rejects `undefined`; the engine drops such keys too.
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(props ?? {})));
}

export function fromStruct(s: structproto.Struct | undefined): Props {
  return (s?.toJavaScript() as Props | undefined) ?? {};
}

/** Deep equality of JSON-like values, as the engine's PropertyMap.DeepEquals (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as Props).filter((k) => (a as Props)[k] !== undefined);
    const kb = Object.keys(b as Props).filter((k) => (b as Props)[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Props)[k], (b as Props)[k]));
  }
  return false;
}

/**
 * Serialize a dynamic provider exactly as `pulumi.dynamic.Resource` does
 * (`@pulumi/pulumi/dynamic/index.js`: `serializeFunction(() => provider, { allowSecrets: true })`,
 * whose `text` becomes the `__provider` input stored in state).
 *
 * Modules are loaded with Node's own `require` (not Vite's transform), so the function text the
 * serializer sees is the compiled `dist/` JavaScript a real program would load.
 */
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");

const nodeRequire = require("node:module").createRequire(path.join(REPO_ROOT, "package.json")) as NodeJS.Require;

export interface SerializedProvider {
  text: string;
  containsSecrets: boolean;
}

export async function serializeProvider(provider: object): Promise<SerializedProvider> {
  const sc = nodeRequire("@pulumi/pulumi/runtime/closure/serializeClosure");
  const sf = await sc.serializeFunction(() => provider, { allowSecrets: true });
  return { text: sf.text, containsSecrets: sf.containsSecrets };
}

/** `providerFor(kind)` from the compiled package (run `npx tsc -p tsconfig.build.json` first). */
export function stubFor(kind: string): object {
  return nodeRequire("analytics-access/provider/runtime/stub").providerFor(kind);
}

/** The `__provider` text for `kind`, as it lands in state. */
export async function serializedStub(kind: string): Promise<string> {
  return (await serializeProvider(stubFor(kind))).text;
}

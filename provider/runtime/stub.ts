/**
 * The small-state provider stub.
 *
 * Pulumi stores the serialized provider (`__provider`) of a dynamic resource in the state of every
 * resource. A provider class written in local source is serialized by value (~5.7 KB per resource,
 * everything it references transitively). The stub returned by {@link providerFor} is an object
 * with one tiny method, `configure`, that captures only the kind name. The dynamic-provider host
 * always calls `configure` right after deserializing a provider (before any Check/Diff/Create/...),
 * and the stub uses that call to load this package by `require` and install the real handler's
 * methods onto itself (see ./host.ts). Nothing but the kind name lands in state: no code, no
 * endpoint, no token.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Kind } from "../resources";
import type { RuntimeKind } from "./host";

// The stub requires "analytics-access/provider/runtime/host" by the package's own name (package.json
// `exports` names it, as it names `./provider/runtime/stub`: both must keep resolving from an
// installed copy); the string is written out in the stub because its source text is what lands in
// state. That module must keep exporting `attach` for as long as states carry the stub;
// test/engine/stub.test.ts checks the name against package.json.

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

const cache = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * The `__provider` for resources of `kind`. In the host, the kind is resolved by ./host.ts:
 * `echo` (diagnostic) lives in this folder, every other kind is the registry's
 * (`provider/resources/index.ts`). The kind is checked at run time too: JavaScript callers pass
 * any string.
 *
 * The same object is returned for the same kind, so the SDK serializes it once per kind
 * (its WeakMap cache) and the host deserializes and configures it once per kind.
 */
export function providerFor(kind: Kind | RuntimeKind): pulumi.dynamic.ResourceProvider {
  if (!KIND_PATTERN.test(kind)) {
    throw new Error(`invalid provider kind ${JSON.stringify(kind)}: expected ${KIND_PATTERN}`);
  }
  let stub = cache.get(kind);
  if (!stub) {
    stub = makeStub(kind);
    cache.set(kind, stub);
  }
  return stub;
}

// Keep `configure` tiny and free of comments: its source text is what lands in state.
// - `require` in the host belongs to a module compiled from a string (filename ""), which cannot
//   self-reference a package by name; createRequire(cwd + "/") can, and it also finds the package
//   under cwd's node_modules when a user installed it.
// - `this` is the provider object the host caches; attach() installs check/diff/... onto it.
// - `create` is installed by attach() in the host; the cast satisfies the type at compile time only.
function makeStub(kind: string): pulumi.dynamic.ResourceProvider {
  const stub = {
    configure(req: pulumi.dynamic.ConfigureRequest) {
      return require("module").createRequire(process.cwd() + "/")("analytics-access/provider/runtime/host").attach(this, kind, req);
    },
  };
  return stub as unknown as pulumi.dynamic.ResourceProvider;
}

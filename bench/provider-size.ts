/**
 * Bytes of `__provider` stored per dynamic resource: the small-state stub vs a naive provider
 * class written in local source. Measured through the SDK's own path: `pulumi.dynamic.Resource`
 * under `pulumi.runtime.setMocks`, whose `newResource` receives the serialized inputs as the
 * engine would store them.
 *
 * Run (after `npx tsc -p tsconfig.build.json`):  node bench/provider-size.ts
 * (Node 22 strips the types itself; plain `require` because this package is CommonJS.)
 */
import type * as pulumiTypes from "@pulumi/pulumi";

const pulumi: typeof pulumiTypes = require("@pulumi/pulumi");
const { providerFor } = require("analytics-access/provider/runtime/stub") as {
  providerFor(kind: string): pulumiTypes.dynamic.ResourceProvider;
};

/** What a user would write without the stub: the echo kind as a class in the program's own source. */
class NaiveEchoProvider implements pulumiTypes.dynamic.ResourceProvider {
  endpoint: string | undefined;
  token: string | undefined;

  async configure(req: pulumiTypes.dynamic.ConfigureRequest): Promise<void> {
    this.endpoint = req.config.get("analytics-access:endpoint");
    this.token = req.config.get("analytics-access:token");
  }
  async check(_olds: any, news: any): Promise<pulumiTypes.dynamic.CheckResult> {
    const failures: pulumiTypes.dynamic.CheckFailure[] = [];
    for (const field of ["key", "value"]) {
      if (typeof news?.[field] !== "string" || news[field] === "") {
        failures.push({ property: field, reason: `${field} must be a non-empty string` });
      }
    }
    return failures.length > 0 ? { failures } : { inputs: { ...news, key: String(news.key).trim() } };
  }
  async diff(_id: string, olds: any, news: any): Promise<pulumiTypes.dynamic.DiffResult> {
    const replaces = olds.key !== news.key ? ["key"] : [];
    return { changes: replaces.length > 0 || olds.value !== news.value, replaces };
  }
  async create(inputs: any): Promise<pulumiTypes.dynamic.CreateResult> {
    return { id: `echo-${inputs.key}`, outs: { ...inputs, endpoint: this.endpoint ?? null, authenticated: Boolean(this.token), revision: 1 } };
  }
  async read(id: string, props: any): Promise<pulumiTypes.dynamic.ReadResult> {
    return { id, props };
  }
  async update(_id: string, olds: any, news: any): Promise<pulumiTypes.dynamic.UpdateResult> {
    return { outs: { ...news, endpoint: this.endpoint ?? null, authenticated: Boolean(this.token), revision: (olds.revision ?? 0) + 1 } };
  }
  async delete(): Promise<void> {}
}

/** The "obvious" small design: one forwarding function per method (measured for comparison). */
function perMethodForwarder(kind: string): pulumiTypes.dynamic.ResourceProvider {
  const call = (m: string, a: unknown[]) => require("module").createRequire(process.cwd() + "/")("analytics-access/provider/resources/" + kind).handler[m](...a);
  return {
    configure: (...a: unknown[]) => call("configure", a),
    check: (...a: unknown[]) => call("check", a),
    diff: (...a: unknown[]) => call("diff", a),
    create: (...a: unknown[]) => call("create", a),
    read: (...a: unknown[]) => call("read", a),
    update: (...a: unknown[]) => call("update", a),
    delete: (...a: unknown[]) => call("delete", a),
  } as unknown as pulumiTypes.dynamic.ResourceProvider;
}

async function main(): Promise<void> {
  const sizes = new Map<string, number>();
  const texts = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const p = String(args.inputs.__provider ?? "");
        sizes.set(args.name, Buffer.byteLength(p));
        texts.set(args.name, p);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "analytics-access",
    "bench",
  );

  const designs: Array<[string, pulumiTypes.dynamic.ResourceProvider]> = [
    ["naive class (local source)", new NaiveEchoProvider()],
    ["per-method forwarders", perMethodForwarder("echo")],
    ["providerFor stub (this package)", providerFor("echo")],
  ];
  class BenchResource extends pulumi.dynamic.Resource {}
  const resources = designs.map(([name, provider]) => new BenchResource(provider, name, { key: "k", value: "v" }, {}));
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));

  const width = Math.max(...designs.map(([n]) => n.length));
  console.log("__provider bytes per resource (@pulumi/pulumi " + require("@pulumi/pulumi/version").version + ")");
  for (const [name] of designs) {
    console.log(`  ${name.padEnd(width)}  ${String(sizes.get(name)).padStart(6)} B`);
  }
  if (process.argv.includes("--show")) {
    console.log("\n--- providerFor(\"echo\") as stored ---\n" + texts.get(designs[2]![0]));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

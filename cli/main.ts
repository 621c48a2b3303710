// `analytics-access main` (npm start): the embedded platform with its demo tenants, and the
// example stack applied to the dev tenant with the real Pulumi CLI, on a local file backend with
// a passphrase secrets provider (no Pulumi account). Without the CLI it says so and shows, with
// `review`, what `pulumi up` would change.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { startPlatform } from "../platform";
import { type Io, parseCommandArgs, processIo } from "./output";
import { command as reviewCommand } from "./review";

const ROOT = path.resolve(__dirname, "../..");
const STATE = path.join(ROOT, ".analytics-access");
const STACK = "dev";

const USAGE = `usage: analytics-access main [--port N] [--exit]

The main job (\`npm start\` in a checkout of the repository): starts the embedded platform on
127.0.0.1 with its demo tenants (database .analytics-access/platform.db in the checkout), prints
their admin tokens, and runs the example stack (examples/manifest, stack "${STACK}") with
\`pulumi up\` on a local file backend and a passphrase secrets provider (no Pulumi account).
Without the Pulumi CLI it says so and prints the review of what \`up\` would change instead. On a
terminal the platform keeps running afterwards (Ctrl-C stops it); otherwise, or with --exit, it
stops when the job is done. --port N sets the platform's port (default 4780).
Exit 0 done, 1 the port is taken, 2 usage error; otherwise the exit code of \`pulumi up\` (or of
the review).
`;

function pulumiCli(): string | undefined {
  const found = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Runs pulumi in the project with a local backend; the token reaches it through the environment only. */
function pulumi(args: string[], env: NodeJS.ProcessEnv): number {
  process.stdout.write(`\n$ pulumi ${args.join(" ")}\n`);
  return spawnSync("pulumi", args, { cwd: ROOT, env, stdio: "inherit" }).status ?? 1;
}

export const command = {
  summary: "the main job: platform with demo tenants + the example stack (pulumi up, or a review without the CLI)",
  async run(argv: string[], io: Io = processIo): Promise<number> {
    const args = parseCommandArgs<{ port: string; exit: boolean }>("main", USAGE, argv, { port: { type: "string", default: "4780" }, exit: { type: "boolean", default: false } }, io);
    if (typeof args === "number") return args;
    const { values, positionals, usage } = args;
    if (positionals.length) return usage(`unexpected argument "${positionals[0]}"`);
    mkdirSync(STATE, { recursive: true });
    let platform: Awaited<ReturnType<typeof startPlatform>>;
    try {
      platform = await startPlatform({ db: path.join(STATE, "platform.db"), port: Number(values.port), demo: true, rateLimit: { perMinute: 600, burst: 100 } });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
      process.stderr.write(`analytics-access main: port ${values.port} is in use (is \`npm run platform\` still running?). Stop it, or run \`npm start -- --port N\`.\n`);
      return 1;
    }
    const dev = platform.demoTenants[0];
    const out = (s = "") => process.stdout.write(`${s}\n`);
    out(`Embedded analytics platform: ${platform.url}  (API ${platform.apiUrl}, database ${path.relative(ROOT, path.join(STATE, "platform.db"))})`);
    const idWidth = Math.max(...platform.demoTenants.map((t) => t.id.length));
    const nameWidth = Math.max(...platform.demoTenants.map((t) => t.name.length));
    for (const t of platform.demoTenants) out(`  tenant ${t.id.padEnd(idWidth)}  ${t.name.padEnd(nameWidth)}  ${t.profile.padEnd(12)}  admin token ${t.token}`);
    out(`  web page: ${platform.url}/#token=${dev.token}`);

    const version = pulumiCli();
    let code: number;
    if (version) {
      out(`\nPulumi CLI ${version}: running the example stack "${STACK}" against tenant ${dev.id}.`);
      // A local file backend and a passphrase: no account, nothing leaves this machine. The stack's
      // config is a copy of Pulumi.dev.yaml under .analytics-access/, so the checkout stays clean.
      const configFile = path.join(STATE, `Pulumi.${STACK}.yaml`);
      if (!existsSync(configFile)) copyFileSync(path.join(ROOT, `Pulumi.${STACK}.yaml`), configFile);
      const env = {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(STATE, "pulumi-state")}`,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "analytics-access local demo",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ANALYTICS_ACCESS_ENDPOINT: platform.url,
        ANALYTICS_ACCESS_TOKEN: dev.token,
      };
      mkdirSync(path.join(STATE, "pulumi-state"), { recursive: true });
      const select = spawnSync("pulumi", ["stack", "select", STACK, "--create"], { cwd: ROOT, env, stdio: "inherit" }).status;
      code = select === 0 ? pulumi(["up", "--yes", "--stack", STACK, "--config-file", configFile, "--config", `analytics-access:endpoint=${platform.url}`], env) : 1;
    } else {
      out("\nThe Pulumi CLI is not installed, so `pulumi up` cannot run here.");
      out("Install it (https://www.pulumi.com/docs/iac/download-install/, e.g. `curl -fsSL https://get.pulumi.com | sh`) and run `npm start` again.");
      out(`Meanwhile, this is what \`pulumi up\` on the "${STACK}" stack would change in tenant ${dev.id}, from \`analytics-access review\`:\n`);
      process.env.ANALYTICS_ACCESS_TOKEN_DEMO = dev.token;
      code = await reviewCommand.run(["examples/manifest/access.yaml", "--endpoint", platform.url, "--token-env", "ANALYTICS_ACCESS_TOKEN_DEMO"]);
    }

    if (values.exit || !process.stdout.isTTY) {
      await platform.close();
      return code;
    }
    out(`\nThe platform keeps running at ${platform.url} so you can look around; Ctrl-C stops it.`);
    return new Promise<number>((resolve) => {
      const stop = () => void platform.close().then(() => resolve(code));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};

#!/usr/bin/env node
// The `analytics-access` command: one entry point, one module per subcommand (loaded lazily so
// `validate` does not pay for the platform's or Pulumi's start-up).
type Command = { summary: string; run: (argv: string[]) => Promise<number> };

const commands: Record<string, () => Command> = {
  validate: () => require("./validate").command,
  review: () => require("./review").command,
  schema: () => require("./validate").schemaCommand,
  platform: () => require("../platform/cli").command,
  docs: () => require("./docs").command,
  export: () => require("./export").command,
  login: () => require("./login").command,
  main: () => require("./main").command,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // `help <command>` is `<command> --help`.
  if (name === "help" && rest.length === 1 && Object.hasOwn(commands, rest[0])) return commands[rest[0]]().run(["--help"]);
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write("usage: analytics-access <command> [options]\n\ncommands:\n");
    for (const [n, load] of Object.entries(commands)) process.stdout.write(`  ${n.padEnd(10)} ${load().summary}\n`);
    process.stdout.write(`\nRun "analytics-access <command> --help" for a command's usage.\n`);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`analytics-access: unknown command "${name}". Run "analytics-access help" for the list.\n`);
    return 2;
  }
  return load().run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`analytics-access: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatedReadme } from "../manifest/docs";
import { type Io, parseCommandArgs, processIo } from "./output";

const USAGE = `usage: analytics-access docs [--check]

Rewrites the generated sections of the repository's README.md: the model reference (from the zod
schemas in schema/) and the rule table (from the rule catalogue). --check writes nothing and exits
1 if they are stale. Exit 0 up to date or rewritten, 1 stale (--check), 2 usage error.
`;

/** `docs`: rewrite the README's generated model and rule reference (`--check` fails if stale). */
export const command = {
  summary: "rewrite the README's model and rule reference from the schemas (--check: fail if stale)",
  async run(argv: string[], io: Io = processIo): Promise<number> {
    const args = parseCommandArgs<{ check?: boolean }>("docs", USAGE, argv, { check: { type: "boolean" } }, io);
    if (typeof args === "number") return args;
    const { values, positionals, usage } = args;
    if (positionals.length) return usage(`unexpected argument "${positionals[0]}"`);
    const file = path.resolve(__dirname, "../../README.md");
    const current = readFileSync(file, "utf8");
    const next = generatedReadme(current);
    if (values.check) {
      if (next === current) return 0;
      io.err("README.md's generated sections are stale: run `npm run docs`\n");
      return 1;
    }
    writeFileSync(file, next);
    io.out(next === current ? "README.md is up to date\n" : "README.md updated\n");
    return 0;
  },
};

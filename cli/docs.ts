import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatedReadme } from "../schema/docs";

/** `docs`: rewrite the README's generated model and rule reference (`--check` fails if stale). */
export const command = {
  summary: "rewrite the README's model and rule reference from the schemas (--check: fail if stale)",
  async run(argv: string[]): Promise<number> {
    const file = path.resolve(__dirname, "../../README.md");
    const current = readFileSync(file, "utf8");
    const next = generatedReadme(current);
    if (argv.includes("--check")) {
      if (next === current) return 0;
      process.stderr.write("README.md's generated sections are stale: run `npm run docs`\n");
      return 1;
    }
    writeFileSync(file, next);
    process.stdout.write(next === current ? "README.md is up to date\n" : "README.md updated\n");
    return 0;
  },
};

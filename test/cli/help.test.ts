// Every command and subcommand of the compiled CLI answers --help and -h (and `help <command>`)
// with its usage on stdout and exit 0, without doing its job.
import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist", "cli", "index.js");

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === "number" ? x.code : -1, out: x.stdout ?? "", err: x.stderr ?? String(e) };
  }
}

const COMMANDS = ["validate", "review", "schema", "platform", "docs", "export", "login", "main"];
const SUBCOMMANDS = ["platform serve", "platform token", "platform openapi"];

describe("analytics-access --help", () => {
  it("lists every command, exit 0 (no command at all: the same list, exit 2)", async () => {
    for (const flag of ["--help", "-h", "help"]) {
      const r = await cli([flag]);
      expect(r).toMatchObject({ code: 0, err: "" });
      expect(r.out).toMatch(/^usage: analytics-access <command> \[options\]\n/);
      for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`^  ${c} +\\S`, "m"));
    }
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/^usage: analytics-access <command>/);
  });

  for (const command of [...COMMANDS, ...SUBCOMMANDS, "login xarios"]) {
    it(`${command}: --help, -h and \`help ${command.split(" ")[0]}\` print its usage on stdout and exit 0`, async () => {
      const args = command.split(" ");
      const runs = await Promise.all([cli([...args, "--help"]), cli([...args, "-h"])]);
      for (const r of runs) {
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        expect(r.out).toMatch(new RegExp(`^usage: analytics-access ${command}\\b`));
      }
      expect(runs[1].out).toBe(runs[0].out);
      if (args.length === 1) expect((await cli(["help", command])).out).toBe(runs[0].out);
    });
  }

  it("platform --help lists its subcommands", async () => {
    const r = await cli(["platform", "--help"]);
    for (const sub of SUBCOMMANDS) expect(r.out).toContain(`\n  ${sub.split(" ")[1]} `);
  });

  it("docs --help does not rewrite the README", async () => {
    const readme = path.join(ROOT, "README.md");
    const [before, mtime] = [readFileSync(readme, "utf8"), statSync(readme).mtimeMs];
    expect((await cli(["docs", "--help"])).code).toBe(0);
    expect(readFileSync(readme, "utf8")).toBe(before);
    expect(statSync(readme).mtimeMs).toBe(mtime);
  });

  it("an unknown option is a usage error on stderr, exit 2", async () => {
    for (const args of [["main", "--bogus"], ["docs", "--bogus"], ["validate", "--bogus"], ["platform", "openapi", "--bogus"]]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--bogus/);
    }
  });
});

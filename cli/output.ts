// Compiler-style output for problems: `file:line:col severity RULE path: message. Fix: …`.
import { parseArgs } from "node:util";
import type { Problem } from "../schema/manifest/index";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
};

export function formatProblem(p: Problem): string {
  const message = p.message.replace(/[.\s]+$/, "");
  const fix = p.fix ? `${/[?!]$/.test(message) ? "" : "."} Fix: ${p.fix.replace(/[.\s]+$/, "")}` : "";
  return `${p.file}:${p.line}:${p.column} ${p.severity} ${p.rule}${p.path ? ` ${p.path}` : ""}: ${message}${fix}`;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

type OptionsConfig = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** A command's arguments, or the exit code when it has already answered (--help: 0, bad arguments: 2). */
export function parseCommandArgs<V>(
  name: string,
  usageText: string,
  argv: string[],
  options: OptionsConfig,
  io: Io,
): { values: V; positionals: string[]; usage: (msg: string) => number } | number {
  const usage = (msg: string) => { io.err(`analytics-access ${name}: ${msg}\n${usageText}`); return 2; };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...options, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    return usage((e as Error).message);
  }
  if (parsed.values.help) { io.out(usageText); return 0; }
  return { values: parsed.values as V, positionals: parsed.positionals, usage };
}

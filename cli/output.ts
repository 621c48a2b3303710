// What the commands share: output streams, argument parsing, plurals.
import { parseArgs } from "node:util";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
};

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

// Compiler-style output for problems: `file:line:col severity RULE path: message. Fix: …`.
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

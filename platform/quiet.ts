// node:sqlite prints an ExperimentalWarning on first load. The platform is a tool people run,
// so that line is noise: drop exactly that warning and pass every other one through.
const flag = process as unknown as { __analyticsAccessQuiet?: boolean };
if (!flag.__analyticsAccessQuiet) {
  flag.__analyticsAccessQuiet = true;
  const original = process.emitWarning.bind(process) as (...a: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning?.message ?? "";
    const opt = rest[0];
    const type = typeof opt === "string" ? opt : (opt as { type?: string } | undefined)?.type ?? (typeof warning === "string" ? undefined : warning?.name);
    if (type === "ExperimentalWarning" && /SQLite/i.test(text)) return;
    return original(warning, ...rest);
  }) as typeof process.emitWarning;
}
export {};

// node:sqlite prints an ExperimentalWarning on first load. The platform is a tool people run,
// so that line is noise: drop exactly that warning and pass every other one through.
const original = process.emitWarning.bind(process);
let installed = (process as unknown as { __aaQuiet?: boolean }).__aaQuiet === true;
if (!installed) {
  (process as unknown as { __aaQuiet?: boolean }).__aaQuiet = true;
  installed = true;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning?.message ?? "";
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = typeof warning === "string" ? type : warning?.name;
    if ((name === "ExperimentalWarning" || type === "ExperimentalWarning") && /SQLite/i.test(text)) return;
    return (original as (...a: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
export {};

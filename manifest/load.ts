// Reading manifests and tenant facts from disk.
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { LIMITS } from "./limits";
import type { TenantFacts } from "../schema";
import { type ManifestOptions, type ManifestResult, type Omitted, type Problem, parseManifest, parseTenantFacts } from "./parse";

/** An I/O failure (missing file, unreadable): a usage error, not a problem in a manifest. */
export class LoadError extends Error {}

function read(file: string): string {
  try {
    // past the size limit, read only a little more than the limit: readYaml refuses it at 1:1
    if (statSync(file).size > LIMITS.fileBytes) {
      const fd = openSync(file, "r");
      try {
        const buf = Buffer.alloc(LIMITS.fileBytes + 1);
        readSync(fd, buf, 0, buf.length, 0);
        return buf.toString("latin1");
      } finally { closeSync(fd); }
    }
    return readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new LoadError(err.code === "ENOENT" ? `${file}: no such file` : err.code === "EISDIR" ? `${file}: is a directory` : `${file}: ${err.message}`);
  }
}

/** Reads and checks a manifest file. `display` is the name problems carry (default: the path). */
export function loadManifest(file: string, opts: ManifestOptions & { display?: string } = {}): ManifestResult {
  return parseManifest(read(file), opts.display ?? file, opts);
}

/** Reads and checks a tenant facts file, YAML or JSON (JSON is read as YAML, positions included). */
export function loadTenantFacts(file: string, opts: { display?: string } = {}): { facts?: TenantFacts; problems: Problem[]; omitted?: Omitted } {
  return parseTenantFacts(read(file), opts.display ?? file);
}

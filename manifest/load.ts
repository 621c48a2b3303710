// Reading manifests and tenant facts from disk.
import { readFileSync } from "node:fs";
import type { TenantFacts } from "../schema";
import { type ManifestOptions, type ManifestResult, type Problem, parseManifest, parseTenantFacts } from "./parse";

/** An I/O failure (missing file, unreadable): a usage error, not a problem in a manifest. */
export class LoadError extends Error {}

function read(file: string): string {
  try {
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
export function loadTenantFacts(file: string, opts: { display?: string } = {}): { facts?: TenantFacts; problems: Problem[] } {
  return parseTenantFacts(read(file), opts.display ?? file);
}

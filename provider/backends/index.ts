// The backends, one line each: `analytics-access:backend` (or ANALYTICS_ACCESS_BACKEND) names one;
// the default is `embedded`. A new backend is a folder beside ./embedded implementing ./backend.ts,
// and its line here.
import type { Settings } from "../session";
import type { Backend, BackendFactory } from "./backend";
import { EmbeddedBackend } from "./embedded";
import { XariosBackend } from "./xarios";
import { RingCentralBackend } from "./ringcentral";

export const BACKENDS = {
  embedded: (settings) => new EmbeddedBackend(settings),
  xarios: (settings) => new XariosBackend(settings),
  ringcentral: (settings) => new RingCentralBackend(settings),
} satisfies Record<string, BackendFactory>;

export type BackendName = keyof typeof BACKENDS;
export const DEFAULT_BACKEND: BackendName = "embedded";

/** The backend the settings name; an unknown name is refused, listing the known ones. */
export function createBackend(settings: Settings): Backend {
  const name = settings.backend ?? DEFAULT_BACKEND;
  if (!Object.hasOwn(BACKENDS, name))
    throw new Error(`unknown backend ${JSON.stringify(name)} (analytics-access:backend): known backends are ${Object.keys(BACKENDS).join(", ")}`);
  return BACKENDS[name as BackendName](settings);
}

export type * from "./backend";

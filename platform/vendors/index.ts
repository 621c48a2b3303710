// The vendors' administration APIs the platform also speaks, over its one store: each is a folder
// here (its routes, wire shapes, auth, limits and error envelope, following ../../../shared/VENDOR-APIS.md)
// and one line in VENDOR_APIS. The server hands a request to the first API whose prefix matches its
// path, before its own /api/v1 routing; the vendor API answers it whole (auth, limits, errors).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerState } from "../router";
import { RINGCENTRAL } from "./ringcentral";
import { xariosApi } from "./xarios";

export interface VendorApi {
  /** Its name in stats ("ringcentral", "xarios"). */
  readonly name: string;
  /** Path prefixes it owns, e.g. "/restapi/". */
  readonly prefixes: readonly string[];
  handle(state: ServerState, req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void>;
}

export const VENDOR_APIS: readonly VendorApi[] = [xariosApi, RINGCENTRAL];

export function vendorApiFor(path: string): VendorApi | undefined {
  return VENDOR_APIS.find((v) => v.prefixes.some((p) => path.startsWith(p)));
}

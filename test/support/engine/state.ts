/**
 * The stack's state and its journal, as the CLI keeps them (pkg/backend/snapshot.go
 * `SnapshotManager`): every step begins by recording a pending operation (creating, updating,
 * deleting) and ends by recording the resource's new state, each written to the state file at
 * once, so a CLI killed mid-run leaves exactly what it had written. Pending creates from an
 * earlier snapshot are carried into every later one (`Snap`) until a refresh clears them.
 *
 * Secret values are written as ciphertext, like the passphrase secrets provider; plain values in
 * plain text. (Pulumi records the whole stack configuration as the default provider's inputs,
 * pkg/resource/deploy/target.go `GetPackageConfig`, so a token set without --secret is in the
 * state file in plain text.)
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SECRET_SIG, SECRET_SIG_KEY, isSecret, type Props } from "./wire";

export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  /** "" for components. */
  id: string;
  parent: string;
  /** `urn::id` of the provider (custom resources). */
  provider: string;
  /** Inputs after Check, secrets marked. */
  inputs: Props;
  /** Outputs, secrets marked. */
  outputs: Props;
  /** URNs this resource depends on (dependsOn and property dependencies). */
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  /** A replaced resource waiting for its delete at the end of the run (create-before-delete). */
  delete?: boolean;
}

export type OperationType = "creating" | "updating" | "deleting" | "reading";
export interface PendingOperation {
  type: OperationType;
  resource: ResourceState;
}

export interface Snapshot {
  resources: ResourceState[];
  pendingOperations: PendingOperation[];
}

export const emptySnapshot = (): Snapshot => ({ resources: [], pendingOperations: [] });

/** The passphrase secrets provider, reduced to what the model needs: AES-256-GCM under a scrypt key. */
export class SecretsProvider {
  private readonly key: Buffer;
  constructor(passphrase: string) {
    this.key = scryptSync(passphrase, "analytics-access engine model", 32);
  }
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return `v1:${iv.toString("base64")}:${Buffer.concat([body, c.getAuthTag()]).toString("base64")}`;
  }
  decrypt(text: string): string {
    const [, iv, data] = text.split(":");
    const buf = Buffer.from(data, "base64");
    const d = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    d.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]).toString("utf8");
  }
}

function mapSecrets(v: unknown, f: (s: { value?: unknown; ciphertext?: string }) => unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => mapSecrets(x, f));
  if (v && typeof v === "object") {
    if ((v as Props)[SECRET_SIG_KEY] === SECRET_SIG) return f(v as { value?: unknown; ciphertext?: string });
    return Object.fromEntries(Object.entries(v as Props).map(([k, x]) => [k, mapSecrets(x, f)]));
  }
  return v;
}

/** A state file written after every journal entry. */
export class StateFile {
  constructor(
    readonly file: string,
    private readonly secrets: SecretsProvider,
  ) {}

  load(): Snapshot {
    if (!fs.existsSync(this.file)) return emptySnapshot();
    const raw = JSON.parse(fs.readFileSync(this.file, "utf8"));
    return mapSecrets(raw, (s) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value: JSON.parse(this.secrets.decrypt(String(s.ciphertext))) })) as Snapshot;
  }

  save(snap: Snapshot): void {
    const onDisk = mapSecrets(snap, (s) => ({ [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: this.secrets.encrypt(JSON.stringify(s.value)) }));
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(onDisk, null, 1));
    fs.renameSync(tmp, this.file);
  }

  /** The file as a user would find it on disk. */
  text(): string {
    return fs.existsSync(this.file) ? fs.readFileSync(this.file, "utf8") : "";
  }
}

/** Mark as secret every top-level output whose same-named input is secret (annotateSecrets; step_executor.go). */
export function annotateSecrets(outputs: Props, inputs: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(outputs)) out[k] = isSecret(inputs[k]) && !isSecret(v) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v;
  return out;
}

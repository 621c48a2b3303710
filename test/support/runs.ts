/**
 * Reading the engine model's results (./engine) the way the provider tests need them: each
 * declared resource's step by name, the Check failures the engine reported, and the secrets a user
 * must never see in the output or in the state file.
 */
import { expect } from "vitest";
import { Stack, type RunResult, type StepRecord } from "./engine";
import type { TestTenant } from "./tenant";

export const nameOf = (urn: string): string => urn.split("::").pop() ?? urn;

/** Steps of the program's dynamic resources (no stack, no component, no provider). */
export function dynamicSteps(r: RunResult): StepRecord[] {
  return r.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic"));
}

/**
 * What happened to each dynamic resource, by name: its step's op, or "replace" for a replacement
 * (whose records are delete-replaced / create-replacement / replace, in whatever order).
 */
export function ops(r: RunResult): Record<string, string> {
  const chains = new Map<string, string[]>();
  for (const s of dynamicSteps(r)) chains.set(nameOf(s.urn), [...(chains.get(nameOf(s.urn)) ?? []), s.op]);
  return Object.fromEntries([...chains].map(([n, c]) => [n, c.includes("replace") ? "replace" : c.join(",")]));
}

/** Each dynamic resource's step records, by name, in the order the run recorded them. */
export function chains(r: RunResult): Record<string, StepRecord[]> {
  const out: Record<string, StepRecord[]> = {};
  for (const s of dynamicSteps(r)) (out[nameOf(s.urn)] ??= []).push(s);
  return out;
}

/** The one step of a resource that is not part of a replacement chain. */
export function stepOf(r: RunResult, name: string): StepRecord {
  const found = dynamicSteps(r).filter((s) => nameOf(s.urn) === name);
  expect(found, `steps of ${name}`).toHaveLength(1);
  return found[0];
}

export interface ReportedFailure {
  name: string;
  property: string;
  reason: string;
}

/**
 * Check failures as the engine reported them (step_generator.go `issueCheckFailure`):
 * "<type> resource '<name>': property <p> value <v> has a problem: <reason>", or without a property
 * "<type> resource '<name>' has a problem: <reason>".
 */
export function checkFailures(r: RunResult, name?: string): ReportedFailure[] {
  const out: ReportedFailure[] = [];
  for (const d of r.diagnostics) {
    if (d.severity !== "error") continue;
    const withProp = /^\S+ resource '([^']+)': property (\S+) value [\s\S]*? has a problem: ([\s\S]*)$/.exec(d.message);
    const without = withProp ? null : /^\S+ resource '([^']+)' has a problem: ([\s\S]*)$/.exec(d.message);
    const f = withProp ? { name: withProp[1], property: withProp[2], reason: withProp[3] } : without ? { name: without[1], property: "", reason: without[2] } : null;
    if (f && (name === undefined || f.name === name)) out.push(f);
  }
  return out;
}

/** None of `secrets` anywhere a user could see them: the run's output and the state file on disk. */
export function expectNowhere(r: RunResult, stack: Stack, ...secrets: string[]): void {
  const text = r.text();
  const state = stack.stateFile.text();
  for (const s of secrets) {
    expect(text, "run output").not.toContain(s);
    expect(state, "state file").not.toContain(s);
  }
}

/** A stack of `dir` on the test tenant, the token set with --secret, as the provider tests use it. */
export function tenantStack(t: TestTenant, dir: string, token = t.adminToken): Stack {
  return new Stack({
    dir,
    stack: "dev",
    config: { "analytics-access:endpoint": t.platform.url, "analytics-access:licenceWaitSeconds": "3" },
    secrets: { "analytics-access:token": token },
  });
}

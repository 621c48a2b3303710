// The user schema against the platform's input limits and its email hints (issue 11: what validate
// accepts, the platform stores; an email with spaces around it says so).
import { describe, expect, it } from "vitest";
import { DISPLAY_NAME_MAX, EMAIL_MAX } from "../platform/limits";
import { UserCreate } from "../platform/schemas";
import { User } from "./user";

const emailOf = (length: number) => `${"a".repeat(length - "@example.com".length)}@example.com`;
const messages = (u: unknown) => User.safeParse(u).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("the user schema's limits are the platform's", () => {
  it("carries the platform's numbers in its JSON Schema", () => {
    const json = User.toJSONSchema({ io: "input" }) as { properties: Record<string, { maxLength?: number }> };
    expect(json.properties.email.maxLength).toBe(EMAIL_MAX);
    expect(json.properties.displayName.maxLength).toBe(DISPLAY_NAME_MAX);
    expect([EMAIL_MAX, DISPLAY_NAME_MAX]).toEqual([254, 200]);
  });

  it("accepts what the platform accepts and refuses what it refuses, at the boundary", () => {
    const cases = [[emailOf(EMAIL_MAX), "x".repeat(DISPLAY_NAME_MAX)], [emailOf(EMAIL_MAX + 1), "x"], ["ann@example.com", "x".repeat(DISPLAY_NAME_MAX + 1)]];
    const platform = cases.map(([email, displayName]) => UserCreate.safeParse({ email, displayName, roles: [] }).success);
    expect(platform).toEqual([true, false, false]);
    expect(cases.map(([email, displayName]) => User.safeParse({ email, displayName }).success)).toEqual(platform);
  });

  it("says which limit a too-long email or display name breaks", () => {
    expect(messages({ email: emailOf(EMAIL_MAX + 1) })).toEqual([`email: must be at most ${EMAIL_MAX} characters (the platform's limit for an email address)`]);
    expect(messages({ email: "ann@example.com", displayName: "x".repeat(DISPLAY_NAME_MAX + 1) })).toEqual([`displayName: must be at most ${DISPLAY_NAME_MAX} characters (the platform's limit for a display name)`]);
  });
});

describe("an email with spaces around it", () => {
  it("is refused with the hint to remove the spaces", () => {
    expect(messages({ email: " ann@example.com " })).toEqual(['email: must be an email address without spaces: remove the spaces around "ann@example.com"']);
    expect(messages({ email: "ann@example.com\t" })).toEqual(['email: must be an email address without spaces: remove the spaces around "ann@example.com"']);
  });

  it("keeps the plain message when trimming would not help", () => {
    expect(messages({ email: " ann at example " })).toEqual(["email: must be an email address, e.g. ann@example.com"]);
  });
});

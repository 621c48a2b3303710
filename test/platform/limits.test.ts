// The platform and the manifest's schema accept the same names: platform/limits.ts holds the numbers
// (the platform imports nothing from schema/), and this test keeps schema/ saying the same.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Group } from "../../schema/group";
import { Workspace } from "../../schema/workspace";
import { DESCRIPTION_MAX, NAME_MAX } from "../../platform/limits";
import * as S from "../../platform/schemas";

const props = (s: z.ZodType) => (z.toJSONSchema(s, { io: "input" }) as { properties: Record<string, { maxLength?: number }> }).properties;

describe("name and description limits: one source for the manifest and the platform", () => {
  it("schema/ groups and workspaces use platform/limits.ts's numbers", () => {
    for (const entity of [Group, Workspace]) {
      expect(props(entity).name.maxLength).toBe(NAME_MAX);
      expect(props(entity).description.maxLength).toBe(DESCRIPTION_MAX);
    }
  });
  it("the platform refuses one past them, and control characters in names", () => {
    expect(S.GroupCreate.safeParse({ name: "n".repeat(NAME_MAX) }).success).toBe(true);
    expect(S.GroupCreate.safeParse({ name: "n".repeat(NAME_MAX + 1) }).success).toBe(false);
    expect(S.GroupCreate.safeParse({ name: "a", description: "d".repeat(DESCRIPTION_MAX + 1) }).success).toBe(false);
    for (const c of ["\u0000", "\n", "\r", "\t", "\u007f", "\u2028"]) expect(S.GroupCreate.safeParse({ name: `a${c}b` }).success, JSON.stringify(c)).toBe(false);
    expect(S.UserCreate.safeParse({ displayName: "a\u0000b", email: "a@b.example" }).success).toBe(false);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedReadme } from "../manifest/docs";
import { Profile } from "../schema";
import { RULE_IDS } from "../schema/rules";

const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("README", () => {
  it("has the model and rule reference as the schemas generate them (run `npm run docs`)", () => {
    expect(generatedReadme(readme)).toBe(readme);
  });

  it("documents every rule id of the catalogue", () => {
    for (const id of RULE_IDS) expect(readme).toContain(`| ${id} |`);
  });

  it("names every profile in the manifest example", () => {
    expect(readme).toMatch(new RegExp(`^profile: \\w+ +# ${Profile.options.join(" \\| ")}$`, "m"));
  });
});

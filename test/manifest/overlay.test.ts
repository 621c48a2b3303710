// Per-stack overlays (manifest/overlay.ts): a `remove:` entry that names nothing in the base
// manifest is an error at its file:line:column with a did-you-mean, not silently ignored (issue 11).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyOverlay, loadOverlay, OverlayError, overlayProblems } from "../../manifest/overlay";
import { formatProblem } from "../../manifest/parse";
import { Manifest } from "../../schema";

const base = Manifest.parse({
  profile: "dimensions",
  groups: [{ name: "Caf\u00e9" }, { name: "Support" }],
  users: [{ email: "ann.lee@example.com" }, { extension: "201" }],
});

function overlayFile(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), "overlay-")), "prod.yaml");
  writeFileSync(file, text);
  const { overlay, problems } = loadOverlay(file);
  expect(problems).toEqual([]);
  return { file, overlay: overlay! };
}

describe("an overlay's remove: entries", () => {
  it("refuses an entry that names nothing, at its file:line:column, with a did-you-mean", () => {
    const { file, overlay } = overlayFile("remove:\n  users:\n    - \"201\"\n    - ann.lea@example.com\n  groups:\n    - Suport\n");
    const problems = overlayProblems(base, overlay);
    expect(problems.map(formatProblem)).toEqual([
      `${file}:4:7 error OVERLAY remove.users[1]: remove: user "ann.lea@example.com" names nothing in the base manifest, so nothing would be removed. Fix: did you mean "ann.lee@example.com"?`,
      `${file}:6:7 error OVERLAY remove.groups[0]: remove: group "Suport" names nothing in the base manifest, so nothing would be removed. Fix: did you mean "Support"?`,
    ]);
    expect(() => applyOverlay(base, overlay)).toThrow(OverlayError);
    expect(() => applyOverlay(base, overlay)).toThrow(/prod\.yaml:4:7 .*ann\.lea@example\.com.*did you mean "ann\.lee@example\.com"/);
  });

  it("says what the base has when nothing is near", () => {
    const problems = overlayProblems(base, { remove: { workspaces: ["Ops"] } });
    expect(problems).toMatchObject([{ path: "remove.workspaces[0]", rule: "OVERLAY", fix: /name one of the base manifest's workspaces \(by name\), or delete the entry/ }]);
  });

  it("removes entries named by extension, by email in another case, and by a name equal under NFC", () => {
    const merged = applyOverlay(base, { remove: { users: ["201", "ANN.LEE@example.com"], groups: ["cafe\u0301"] } });
    expect(merged.users).toEqual([]);
    expect(merged.groups.map((g) => g.name)).toEqual(["Support"]);
  });
});

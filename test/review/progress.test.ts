import { describe, expect, it } from "vitest";
import { progress } from "../../cli/progress";

const stream = (isTTY: boolean) => {
  const s = { isTTY, text: "", write(x: string) { s.text += x; } };
  return s;
};

describe("progress", () => {
  it("writes nothing when the stream is not a TTY", () => {
    const s = stream(false);
    const p = progress("reading tenant… users", { stream: s });
    p.update(10, 100);
    p.done("finished");
    expect(s.text).toBe("");
  });

  it("redraws one line at most every interval, always the last item, and clears it when done", () => {
    const s = stream(true);
    let now = 0;
    const p = progress("reading tenant… users", { stream: s, intervalMs: 100, now: () => now });
    p.update(500, 5000);
    now = 50;
    p.update(1000, 5000); // too soon: skipped
    now = 150;
    p.update(1200, 5000);
    now = 160;
    p.update(5000, 5000); // the last one is always shown
    p.done();
    p.update(1, 1); // after done: nothing
    expect(s.text).toBe("\rreading tenant… users 500/5,000\x1b[K\rreading tenant… users 1,200/5,000\x1b[K\rreading tenant… users 5,000/5,000\x1b[K\r\x1b[K");
  });

  it("counts without a total", () => {
    const s = stream(true);
    const p = progress("exporting", { stream: s });
    p.update(1234567);
    p.done("done");
    expect(s.text).toBe("\rexporting 1,234,567\x1b[K\r\x1b[Kdone\n");
  });
});

// A one-line progress display on a terminal: `reading tenant… users 1,200/5,000`. Writes to stderr
// only when it is a TTY (never into a pipe, a file or CI logs), at most ten times a second, and
// clears its line when done. No dependency; shared by the commands that read whole tenants.

export interface Progress {
  /** `n` items done, of `total` when known. */
  update(n: number, total?: number): void;
  /** Clears the line (and prints `message` on its own line, if given). */
  done(message?: string): void;
}

export interface ProgressOptions {
  /** Default: process.stderr. Anything with `isTTY` and `write`. */
  stream?: { isTTY?: boolean; write(s: string): unknown };
  /** Least time between two redraws. */
  intervalMs?: number;
  now?: () => number;
}

const count = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export function progress(label: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return { update() {}, done() {} };
  const interval = opts.intervalMs ?? 100;
  const now = opts.now ?? Date.now;
  let last = -Infinity;
  let shown = false;
  let finished = false;
  return {
    update(n, total) {
      if (finished) return;
      const t = now();
      if (t - last < interval && !(total !== undefined && n >= total)) return;
      last = t;
      shown = true;
      stream.write(`\r${label} ${count(n)}${total !== undefined ? `/${count(total)}` : ""}\x1b[K`);
    },
    done(message) {
      if (finished) return;
      finished = true;
      if (shown) stream.write("\r\x1b[K");
      if (message) stream.write(`${message}\n`);
    },
  };
}

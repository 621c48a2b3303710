// Virtual time for pacing tests: sleeps end as soon as nothing else can happen, in time order, and
// time stands still while a request is on the wire (fetch wrapped by `fetch`), so a scripted server
// reading `now()` sees each request at the very moment the client sent it. Runs as fast as the
// event loop; every time a test asserts is exact and repeatable.
import type { Clock } from "../../provider/pacing";

export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private busy = 0;
  private scheduled = false;

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
      this.kick();
    });

  /** A fetch during which virtual time does not move: zero latency. */
  fetch: typeof fetch = async (input, init) => {
    this.busy++;
    try {
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      const nullBody = res.status === 204 || res.status === 304;
      return new Response(nullBody ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      this.busy--;
      this.kick();
    }
  };

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.advance();
    });
  }

  /** Fire the earliest timers, once nothing is on the wire and everything else has settled. */
  private advance(): void {
    if (this.busy > 0 || this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const at = this.timers[0].at;
    this.t = Math.max(this.t, at);
    while (this.timers.length && this.timers[0].at <= this.t) this.timers.shift()!.resolve();
    if (this.timers.length) this.kick();
  }
}

// The link's throughput, measured on the bytes of Python's first downloads: worker.js
// decides with it whether the start-up snapshot pays for its download.

const TICK = 10; // ms between the ticker's runs
const LATE = 50; // ms a run may come late before this thread counts as busy

/** The link's throughput, from the chunks of the downloads begun after `begin()`, by their
 * sizes as they `arrived`. Two measures, the higher taken:
 * - a floor: every byte so far over the time since the first download began (each came
 *   no later than it was read);
 * - an estimate: each chunk over the time since the one before, leaving out a chunk that
 *   waited while this thread was busy elsewhere (from a 10 ms ticker running late until it
 *   runs on time again) with the time before it: those bytes came as fast as the thread
 *   read them, not as the link brought them, and a busy device is no slow link.
 * `rate(sample, enough)` is answered at a `settle(finished)`, once the estimate has counted
 * `sample` bytes, the floor has reached `enough` bytes per second, or `finished` (no
 * download left): bytes per second, or null if nothing came. Then the meter stops. */
export function linkMeter() {
  let began = 0; // when the first download began
  let ticker = null;
  let tick = 0; // when the ticker last ran
  let busy = false; // whether it ran late
  let last = 0; // when the last chunk arrived
  let all = 0; // bytes arrived
  let bytes = 0; // bytes counted by the estimate, in `seconds`
  let seconds = 0;
  let waiting = [];
  const floor = () => (all ? all / ((performance.now() - began) / 1000) : 0);
  const stop = () => {
    clearInterval(ticker);
    waiting = null;
  };
  const start = () => {
    tick = performance.now();
    ticker = setInterval(() => {
      const now = performance.now();
      busy = now - tick > TICK + LATE;
      tick = now;
    }, TICK);
  };
  return {
    begin() {
      began ||= performance.now();
    },
    arrived(size) {
      if (!waiting) return; // (answered)
      const now = performance.now();
      all += size;
      if (!ticker) start();
      else if (!busy && now - tick <= TICK + LATE) {
        bytes += size;
        seconds += (now - last) / 1000;
      }
      last = now;
    },
    rate: (sample, enough = Infinity) =>
      new Promise((resolve) => (waiting ? waiting.push({ sample, enough, resolve }) : resolve(null))),
    settle(finished) {
      const lowest = floor();
      const done = waiting?.filter(({ sample, enough }) => finished || bytes >= sample || lowest >= enough) ?? [];
      if (!done.length) return;
      waiting = waiting.filter((waiter) => !done.includes(waiter));
      for (const { resolve } of done) resolve(Math.max(lowest, bytes ? bytes / seconds : 0) || null);
      if (!waiting.length) stop();
    },
    stop,
  };
}

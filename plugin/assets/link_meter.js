// The link's throughput, measured on the bytes of Python's first downloads: worker.js
// decides with it whether the start-up snapshot pays for its download.

/** The link's throughput, from the sizes of the chunks `arrived` as they arrive. A chunk that
 * waited while this worker was busy elsewhere (its ticker ran late) is left out with the
 * time before it: its bytes came as fast as the worker read them, not as the link brought
 * them, and a busy device is no slow link. `rate(sample)` resolves to the bytes per second
 * of the first `sample` bytes counted, or at `settle(true)` (no download left) to what was
 * counted so far: Infinity if nothing was, every byte having waited for the worker. */
export function linkMeter() {
  const TICK = 10; // ms between the ticker's runs
  const LATE = 50; // ms it may run late before the worker counts as busy
  let tick = performance.now();
  let busy = false;
  const ticker = setInterval(() => {
    const now = performance.now();
    busy ||= now - tick > TICK + LATE;
    tick = now;
  }, TICK);
  let last = 0; // when the last chunk arrived
  let bytes = 0;
  let seconds = 0;
  let waiting = [];
  return {
    arrived(size) {
      const now = performance.now();
      if (last && !busy && now - tick <= TICK + LATE) {
        bytes += size;
        seconds += (now - last) / 1000;
      }
      busy = false;
      last = now;
    },
    rate: (sample) => new Promise((resolve) => waiting.push({ sample, resolve })),
    settle(finished) {
      const done = waiting.filter(({ sample }) => bytes >= sample || finished);
      waiting = waiting.filter((waiter) => !done.includes(waiter));
      for (const { resolve } of done) resolve(seconds > 0 ? bytes / seconds : Infinity);
    },
    stop: () => clearInterval(ticker),
  };
}

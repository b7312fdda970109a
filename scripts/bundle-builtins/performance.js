// The `performance` global as the CLI bundle sees it (scripts/build-bundle.mjs injects it): Node 20 builds the
// real global on first use by loading perf_hooks and ~10 modules under it (a few milliseconds of a start-up);
// a review only calls performance.now() for its timings and deadlines. now() counts milliseconds from the
// start of the process, as the real one does, on the same monotonic clock (process.hrtime); anything else is
// the real global's.
/* global process */
const start = process.hrtime.bigint() - BigInt(Math.round(process.uptime() * 1e9));
const now = () => Number(process.hrtime.bigint() - start) / 1e6;

export const performance = new Proxy(
  {},
  {
    get(_, key) {
      if (key === 'now') return now;
      const real = globalThis.performance;
      const value = Reflect.get(real, key);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  },
);

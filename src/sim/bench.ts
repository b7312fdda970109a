// Benchmark hook: simulate each function and report its cost. The harness lives elsewhere.
import type { SimFunction, SimOptions } from './types.ts';
import { simulate } from './engine/simulate.ts';

export interface BenchEntry {
  name: string;
  status: 'complete' | 'inconclusive';
  reason?: string;
  paths: number;
  steps: number;
  millis: number;
}

export function benchSimulate(functions: SimFunction[], options: SimOptions = {}): BenchEntry[] {
  return functions.map((fn) => {
    const t0 = performance.now();
    const r = simulate(fn, options);
    const e: BenchEntry = { name: fn.name, status: r.status, paths: r.stats.paths, steps: r.stats.steps, millis: performance.now() - t0 };
    if (r.reason) e.reason = r.reason;
    return e;
  });
}

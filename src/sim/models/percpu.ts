// Per-CPU variables: opaque locations, readable and assignable.
import type { CallModel } from './model.ts';

export const percpuModels: CallModel[] = [
  { family: 'percpu', names: ['this_cpu', 'per_cpu', '__get_cpu_var', 'this_cpu_ptr', 'per_cpu_ptr'], behaviour: { kind: 'location' } },
];

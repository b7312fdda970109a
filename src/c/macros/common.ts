// Macros shared by Xen, Linux and most GNU C: compiler attributes spelt as macros, the classic
// container and min/max helpers, and the C99 format macros.
import type { MacroTable } from './table.ts';

export const common: MacroTable = {
  annotations: [
    '__init', '__exit', '__initdata', '__exitdata', '__initconst', '__read_mostly', '__ro_after_init',
    '__must_check', '__always_inline', 'noinline', '__noinline', '__noreturn', 'noreturn',
    '__maybe_unused', '__always_unused', '__used', '__unused', '__packed', '__weak', '__cold', '__hot',
    '__pure', '__const', '__attribute_pure__', '__attribute_const__', '__attribute_used__',
    '__cacheline_aligned', '__cacheline_aligned_in_smp', '__aligned_largest', '__deprecated',
    '__visible', 'notrace', '__user', '__kernel', '__iomem', '__rcu', '__percpu', '__force',
    '__bitwise', '__safe', '__nocast', '__private', '__inline', '__inline__', '__gnu_inline',
    '__flatten', '__naked', '__malloc',
  ],
  annotationCalls: [
    '__attribute__', '__attribute', '__aligned', '__section', '__printf', '__scanf', '__alias',
    '__acquires', '__releases', '__must_hold', '__cond_lock', '__nonnull', '__alloc_size',
    '__designated_init',
  ],
  iterators: [],
  typeArguments: {
    min_t: [0], max_t: [0], clamp_t: [0], min3_t: [0], max3_t: [0],
    container_of: [1], container_of_const: [1],
    offsetof: [0], typeof: [0], __typeof__: [0], __typeof: [0],
    va_arg: [1], __builtin_offsetof: [0], __builtin_types_compatible_p: [0, 1],
  },
  stringMacros: [
    'PRId8', 'PRId16', 'PRId32', 'PRId64', 'PRIi8', 'PRIi16', 'PRIi32', 'PRIi64',
    'PRIu8', 'PRIu16', 'PRIu32', 'PRIu64', 'PRIx8', 'PRIx16', 'PRIx32', 'PRIx64',
    'PRIX8', 'PRIX16', 'PRIX32', 'PRIX64', 'PRIo32', 'PRIo64', 'PRIxPTR', 'PRIuPTR', 'PRIdPTR',
  ],
  declarationMacros: [],
};

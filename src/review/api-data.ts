// C idioms and project conventions the review knows, as data with its source: dispatch macros, status
// variable names, feature flags, absent codes. Rules and queries read these tables; none of them spells an
// API name in code. Facts about individual functions (which calls fail and how) have ONE home, the
// knowledge layer (src/knowledge/apis.ts builtinApis under the project's config and tree), read through
// fallibility.ts and the sim session's conventionOf.

/** A function's convention in words that can stand in a finding ("returns non-zero on success ..."), with its source. */
export interface ApiFact {
  name: string;
  note: string;
  /** Where the fact comes from. */
  source: string;
}

// Dispatch macros (`iommu_call(ops, suspend)`): their one home is the knowledge layer, which learns through them too.
export { DISPATCH_MACROS, dispatchedMember, dispatchedMemberName } from '../knowledge/dispatch.ts';

/**
 * Names of configuration flags: a feature that is off is a user's choice, not a failure. Matched on the
 * last `_`-separated word(s) of an identifier (`iommu_enabled`, `cpu_has_vmx`...).
 */
export const FEATURE_FLAG_SUFFIXES: readonly string[] = [
  'enable', 'enabled', 'active', 'present', 'supported', 'available', 'initialised', 'initialized', 'on',
];
export const FEATURE_FLAG_SOURCE = 'Xen and Linux naming of configuration booleans (iommu_enabled, x2apic_enabled, *_present, *_supported)';

export function isFeatureFlag(name: string): boolean {
  const words = name.split('_');
  return FEATURE_FLAG_SUFFIXES.includes(words[words.length - 1]!);
}

/**
 * Predicates that ask whether a feature is configured (`hap_enabled(d)`, `is_iommu_enabled(d)`, `feature_supported()`):
 * matched on the last `_`-separated word of the callee. Narrower than the flag suffixes: `active`, `present`, `on`
 * of a call are states of an object more often than a user's configuration.
 */
export const FEATURE_PREDICATE_SUFFIXES: readonly string[] = ['enabled', 'supported', 'available'];
export const FEATURE_PREDICATE_SOURCE = 'Xen predicates hap_enabled(d), is_iommu_enabled(d), paging_mode_enabled(d); Linux *_supported()/*_available()';

export function isFeaturePredicate(callee: string): boolean {
  const words = callee.split('_');
  return words.length > 1 && FEATURE_PREDICATE_SUFFIXES.includes(words[words.length - 1]!);
}

/**
 * Words in a function's name that say it validates its input (a configuration, a request): there, -EINVAL for a
 * requested feature that is unavailable is the function's answer, not a disabled feature made fatal.
 */
export const VALIDATOR_NAME_WORDS: readonly string[] = ['sanitise', 'sanitize', 'check', 'validate', 'verify', 'parse'];
export const VALIDATOR_NAME_SOURCE = 'Xen arch_sanitise_domain_config(), *_check_*(), Linux *_validate()/*_verify()';

export const isValidatorName = (name: string): boolean => name.toLowerCase().split('_').some((w) => VALIDATOR_NAME_WORDS.includes(w));

/**
 * Error codes that mean "what was looked for is not there" (an optional node, table, property or provider),
 * as opposed to a failure: POSIX/Linux errnos and libfdt's / GlobalPlatform's not-found codes.
 */
export const ABSENT_CODES: readonly string[] = ['ENOENT', 'ENODEV', 'ENXIO', 'FDT_ERR_NOTFOUND', 'TEE_ERROR_ITEM_NOT_FOUND'];
export const ABSENT_CODES_SOURCE = 'errno(3) ENOENT/ENODEV/ENXIO, libfdt.h FDT_ERR_NOTFOUND, GlobalPlatform TEE_ERROR_ITEM_NOT_FOUND';

/**
 * Names of functions that look something up and answer "not there" (NULL, a negative offset) when it is absent:
 * find/lookup helpers and device-tree / FDT / ACPI getters.
 */
export const LOOKUP_NAME_PATTERNS: readonly RegExp[] = [
  /(^|_)find(_|$)/, /(^|_)lookup(_|$)/, /^(dt|fdt|of|acpi)_\w*(get|find|read|match)/, /getprop/, /(^|_)get_(property|prop|node|table|child)(_|$)/,
  /_by_(compatible|path|name|phandle|prop_value)$/,
];
export const LOOKUP_NAME_SOURCE = 'Xen find_*/dt_find_*/acpi_table_get*, libfdt fdt_getprop()/fdt_node_offset_by_*() (FDT_ERR_NOTFOUND), Linux of_find_*()';

export const isLookupName = (callee: string): boolean => LOOKUP_NAME_PATTERNS.some((r) => r.test(callee));

/**
 * Log calls and level arguments at warning level: a warning says the condition is not fatal. Only warnings: info and
 * debug messages (OP-TEE's DMSG/IMSG, XENLOG_INFO) are routinely written on real error paths too.
 */
export const NON_ERROR_LOG_CALLEES: readonly string[] = ['pr_warn', 'pr_warning', 'dev_warn', 'netdev_warn'];
export const NON_ERROR_LOG_LEVELS: readonly string[] = ['XENLOG_WARNING', 'KERN_WARNING'];
export const NON_ERROR_LOG_SOURCE = 'xen/include/xen/lib.h XENLOG_WARNING, include/linux/printk.h pr_warn/KERN_WARNING';

/** `-ENOENT`, `-FDT_ERR_NOTFOUND`, `TEE_ERROR_ITEM_NOT_FOUND`...: the code a returned expression names, if it is an absent code. */
export function absentCode(expr: string): string | null {
  const m = /^\(?\s*(-?)\s*([A-Z][A-Z0-9_]*)\s*\)?$/.exec(expr.trim());
  return m && ABSENT_CODES.includes(m[2]!) ? `${m[1]}${m[2]}` : null;
}

/** A constant that names an error: `-EINVAL`, `TEE_ERROR_NOT_SUPPORTED` (not a success code such as `TEE_SUCCESS` or 0). */
export function isErrorConstant(expr: string): boolean {
  const t = expr.replace(/\s+/g, '');
  // `SFCP_ERROR_SUCCESS`, `X_ERROR_NONE`: an error enum's name for "no error", the success code.
  return /^\(?-E[A-Z0-9]+\)?$/.test(t) || (/^-?[A-Z][A-Z0-9]*_ERR(OR)?_[A-Z0-9_]+$/.test(t) && !/_(?:SUCCESS|NONE|OK)$/.test(t));
}

/**
 * Error codes that name a DIFFERENT shortage than memory, with the code that says the heap is exhausted: returned
 * when a heap allocation fails, they tell the caller something untrue (storage full, device full).
 */
export const NOT_MEMORY_CODES: readonly { code: string; means: string; memory: string; source: string }[] = [
  {
    code: 'TEE_ERROR_STORAGE_NO_SPACE',
    means: 'the secure storage has no space left',
    memory: 'TEE_ERROR_OUT_OF_MEMORY',
    source: 'GlobalPlatform TEE Internal Core API (tee_api_defines.h): TEE_ERROR_STORAGE_NO_SPACE "insufficient space in storage", TEE_ERROR_OUT_OF_MEMORY "not enough memory"',
  },
  {
    code: 'TEE_ERROR_SHORT_BUFFER',
    means: 'its output buffer is too small (a caller may retry with a larger one)',
    memory: 'TEE_ERROR_OUT_OF_MEMORY',
    source: 'GlobalPlatform TEE Internal Core API (tee_api_defines.h): TEE_ERROR_SHORT_BUFFER "the supplied buffer is too short for the generated output"',
  },
  {
    code: '-ENOSPC',
    means: 'no space is left on a device',
    memory: '-ENOMEM',
    source: 'POSIX errno.h: ENOSPC "No space left on device", ENOMEM "Not enough space" (out of memory)',
  },
];

/** `TEE_ERROR_STORAGE_NO_SPACE`, `-ENOSPC`, `(-ENOSPC)`: the entry a returned constant is, if it names another shortage. */
export function notMemoryCode(expr: string): (typeof NOT_MEMORY_CODES)[number] | undefined {
  const t = expr.replace(/[\s()]/g, '');
  return NOT_MEMORY_CODES.find((c) => c.code === t);
}

/** Names a function's status variable usually has, most usual first (Xen CODING_STYLE practice, Linux `ret`/`err`). */
export const STATUS_VARIABLE_NAMES: readonly string[] = ['rc', 'ret', 'err', 'rv', 'error', 'status'];

/** The variable OP-TEE and GlobalPlatform code keeps a TEE_Result in (`TEE_Result res = TEE_SUCCESS;`). */
export const STATUS_TYPE_VARIABLE = 'res';

/** Integer types a status value is kept in (C and the Xen/Linux fixed-width typedefs). */
export const INTEGER_TYPES: readonly string[] = [
  'int', 'long', 'long long', 'short', 'unsigned', 'unsigned int', 'unsigned long', 'unsigned long long', 'signed', 'signed int',
  'signed long', 's8', 's16', 's32', 's64', 'ssize_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t',
];

export const isIntegerType = (type: string): boolean => INTEGER_TYPES.includes(type.replace(/\s+/g, ' ').trim());

/** Declared return types that make a function's result a status in tree mode (not evidence alone: see fallibility). */
export const STATUS_RETURN_TYPES: readonly string[] = ['int', 'long', 's32', 's64'];

/**
 * Return values that are a deliberate answer of the function, not a failure of something it called:
 * hypervisor/emulator protocol values (Xen x86_emulate's X86EMUL_*, HVM's X86EMUL_RETRY, hypercall
 * continuations) and "try again / nothing to do" errnos.
 */
export const PROTOCOL_RETURN_PATTERNS: readonly { pattern: RegExp; source: string }[] = [
  { pattern: /^X86EMUL_[A-Z_]+$/, source: 'xen/arch/x86/x86_emulate/x86_emulate.h return codes' },
  { pattern: /^HVMTRANS_[a-z_]+$/i, source: 'xen/include/asm-x86/hvm/support.h' },
  { pattern: /^IO_[A-Z_]+$/, source: 'xen/include/asm-x86/hvm/io.h (X86EMUL-like results)' },
];

/**
 * C library functions that read or write through pointer arguments (0-based positions): a NULL there is
 * undefined behaviour even for a zero length. Xen, Linux and OP-TEE carry their own copies with the same contract.
 */
export const DEREFERENCING_CALLS: readonly { name: string; args: readonly number[] }[] = [
  { name: 'memcpy', args: [0, 1] }, { name: 'memmove', args: [0, 1] }, { name: 'memset', args: [0] }, { name: 'memcmp', args: [0, 1] },
  { name: 'memchr', args: [0] }, { name: 'strcpy', args: [0, 1] }, { name: 'strncpy', args: [0, 1] }, { name: 'strlcpy', args: [0, 1] },
  { name: 'strscpy', args: [0, 1] }, { name: 'strcat', args: [0, 1] }, { name: 'strncat', args: [0, 1] }, { name: 'strlcat', args: [0, 1] },
  { name: 'strlen', args: [0] }, { name: 'strnlen', args: [0] }, { name: 'strcmp', args: [0, 1] }, { name: 'strncmp', args: [0, 1] },
  { name: 'strchr', args: [0] }, { name: 'strrchr', args: [0] }, { name: 'strstr', args: [0, 1] }, { name: 'sprintf', args: [0] },
  { name: 'snprintf', args: [0] }, { name: 'vsnprintf', args: [0] },
];
export const DEREFERENCING_CALLS_SOURCE = 'C11 7.24.1p2 (string function pointer arguments must be valid even for a zero length), 7.21.6.5/6';

/** Whether `callee` reads or writes through its argument at `index`. */
export const dereferencesArgument = (callee: string, index: number): boolean =>
  !!DEREFERENCING_CALLS.find((c) => c.name === callee)?.args.includes(index);

/**
 * Print levels below a warning: a failure the author reports at info or debug level is one the code tolerates on
 * purpose (a best-effort step at boot), not one it forgot to pass on.
 */
export const INFO_LOG_LEVELS: readonly { names: readonly string[]; source: string }[] = [
  { names: ['XENLOG_INFO', 'XENLOG_G_INFO', 'XENLOG_DEBUG', 'XENLOG_G_DEBUG'], source: 'Xen xen/include/xen/config.h: printk levels' },
  { names: ['KERN_INFO', 'KERN_NOTICE', 'KERN_DEBUG', 'pr_info', 'pr_notice', 'pr_debug', 'dev_info', 'dev_notice', 'dev_dbg'], source: 'Linux include/linux/kern_levels.h, printk.h, dev_printk.h' },
  { names: ['IMSG', 'IMSG_RAW', 'DMSG', 'DMSG_RAW', 'FMSG', 'FMSG_RAW'], source: 'OP-TEE lib/libutils/ext/include/trace.h: TRACE_INFO, TRACE_DEBUG, TRACE_FLOW' },
  { names: ['NOTICE', 'INFO', 'VERBOSE'], source: 'Trusted Firmware-A include/common/debug.h: LOG_MARKER_NOTICE, LOG_MARKER_INFO, LOG_MARKER_VERBOSE' },
  { names: ['log_notice', 'log_info', 'log_debug'], source: 'U-Boot include/log.h: LOGL_NOTICE, LOGL_INFO, LOGL_DEBUG' },
];

/** Whether a print, as written in the source, is at info or debug level. */
export const isInfoLevelLog = (written: string): boolean =>
  INFO_LOG_LEVELS.some((l) => l.names.some((n) => new RegExp(`\\b${n}\\b`).test(written)));

/**
 * trunc7: calls that write at most `size` bytes (the terminating NUL included) into `dest` and return the length the
 * whole output needed, so a result >= size says the output was cut. `format`: the printf-style format's argument;
 * `from`: the copied string's argument. scnprintf()-style calls (returning what was written) cannot tell and are not listed.
 */
export const TRUNCATING_WRITERS: readonly { names: readonly string[]; dest: number; size: number; format?: number; from?: number; source: string }[] = [
  { names: ['snprintf'], dest: 0, size: 1, format: 2, source: 'C11 7.21.6.5: snprintf() returns the number of characters that would have been written had n been large enough' },
  { names: ['strlcpy'], dest: 0, from: 1, size: 2, source: 'strlcpy(3) (OpenBSD; Xen xen/lib/strlcpy.c, OP-TEE lib/libutils/ext/strlcpy.c): returns strlen(src); src was cut when that is >= size' },
];

export const truncatingWriter = (callee: string): (typeof TRUNCATING_WRITERS)[number] | undefined =>
  TRUNCATING_WRITERS.find((w) => w.names.includes(callee));

/**
 * trunc7: projects whose own code tests these calls' results where the output names something (a device-tree node or
 * property, a file), so a bare call there departs from the project's practice.
 */
export const TRUNCATION_TESTED_IN: readonly { project: string; names: readonly string[]; since: string; says: string; source: string }[] = [
  {
    project: 'optee',
    names: ['snprintf'],
    // Before 2021 OP-TEE code tested snprintf() for failure at most (core/tee/fs_dirfile.c, 2017: `if (r < 0)`), not for a
    // cut output: a patch written earlier did not depart from the practice.
    since: '2021-02-19',
    says: 'OP-TEE\'s own code tests snprintf() results where the output names a device-tree node or property, or a file',
    source:
      'OP-TEE core tests snprintf() results that name a device-tree node or property since the Coverity CHECKED_RETURN fixes of February 2021: core/drivers/pinctrl/pinctrl.c (2022: `if (bw >= (int)sizeof(prop_name)) return TEE_ERROR_OVERFLOW;`), core/drivers/regulator/regulator_dt.c (2023), core/kernel/dt.c (optee_os d5001fe0)',
  },
];

/**
 * trunc7: printf macros of <inttypes.h> and the projects' own, as the conversion they expand to at their widest
 * (64-bit for the pointer- and address-sized ones), so a format's longest output can be counted.
 */
export const PRINTF_MACROS: Readonly<Record<string, string>> = {
  PRId8: 'd', PRIi8: 'i', PRIu8: 'u', PRIx8: 'x', PRIX8: 'X',
  PRId16: 'd', PRIi16: 'i', PRIu16: 'u', PRIx16: 'x', PRIX16: 'X',
  PRId32: 'd', PRIi32: 'i', PRIu32: 'u', PRIx32: 'x', PRIX32: 'X',
  PRId64: 'lld', PRIi64: 'lli', PRIu64: 'llu', PRIx64: 'llx', PRIX64: 'llX',
  PRIdPTR: 'ld', PRIuPTR: 'lu', PRIxPTR: 'lx', PRIXPTR: 'lX',
  PRIxPA: 'llx', PRIxVA: 'llx', PRIxPASZ: 'llx',
};
export const PRINTF_MACROS_SOURCE = 'C11 7.8.1 <inttypes.h>; OP-TEE lib/libutils/ext/include/types_ext.h PRIxPA/PRIxVA/PRIxPASZ (PRIx64 or PRIxPTR)';

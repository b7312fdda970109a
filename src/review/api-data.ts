// What the review knows about APIs and C idioms, as data with its source. Rules and queries read these
// tables; none of them spells an API name in code. (The knowledge base, src/knowledge, may take over the
// per-function tables; the review reads them only through fallibility.ts and the lookups below.)

export interface ApiFact {
  name: string;
  /** What the convention is, in words that can stand in a finding ("returns 1 when ..."). */
  note: string;
  /** Where the fact comes from. */
  source: string;
}

/** Functions whose failure is part of their contract: a dropped result is a dropped error. */
export const KNOWN_FALLIBLE: readonly ApiFact[] = [
  { name: 'iommu_map_page', note: 'returns a negative errno when the mapping fails', source: 'xen/include/xen/iommu.h' },
  { name: 'iommu_unmap_page', note: 'returns a negative errno when the unmapping fails', source: 'xen/include/xen/iommu.h' },
  { name: 'guest_physmap_add_page', note: 'returns a negative errno', source: 'xen/include/asm-x86/p2m.h' },
  { name: 'xsm_default_action', note: 'returns a negative errno when the action is denied', source: 'xen/include/xsm/dummy.h' },
  { name: 'request_irq', note: 'returns a negative errno when the interrupt cannot be claimed', source: 'include/linux/interrupt.h' },
  { name: 'copy_from_user', note: 'returns the number of bytes not copied', source: 'include/linux/uaccess.h' },
  { name: 'copy_to_user', note: 'returns the number of bytes not copied', source: 'include/linux/uaccess.h' },
  { name: 'device_register', note: 'returns a negative errno', source: 'drivers/base/core.c' },
  { name: 'platform_driver_register', note: 'returns a negative errno', source: 'include/linux/platform_device.h' },
  { name: 'pci_enable_device', note: 'returns a negative errno', source: 'drivers/pci/pci.c' },
  { name: 'clk_prepare_enable', note: 'returns a negative errno', source: 'include/linux/clk.h' },
  { name: 'regulator_enable', note: 'returns a negative errno (declared __must_check)', source: 'include/linux/regulator/consumer.h' },
  { name: 'mutex_lock_interruptible', note: 'returns -EINTR when interrupted', source: 'include/linux/mutex.h' },
];

/** Functions that return non-zero (true) on success and 0 on failure. */
export const BOOLEAN_SUCCESS: readonly ApiFact[] = [
  { name: 'get_page', note: 'returns 1 when the reference was taken, 0 when it was not', source: 'xen/include/asm-x86/mm.h' },
  { name: 'get_page_type', note: 'returns 1 when the type reference was taken, 0 when it was not', source: 'xen/arch/x86/mm.c' },
  { name: 'get_page_and_type', note: 'returns 1 when both references were taken, 0 when not', source: 'xen/include/asm-x86/mm.h' },
  { name: 'try_module_get', note: 'returns true when the module reference was taken', source: 'include/linux/module.h' },
  { name: 'mutex_trylock', note: 'returns 1 when the mutex was acquired, 0 on contention', source: 'include/linux/mutex.h' },
  { name: 'spin_trylock', note: 'returns 1 when the lock was acquired, 0 on contention', source: 'include/linux/spinlock.h' },
  { name: 'kref_get_unless_zero', note: 'returns non-zero when the reference was taken', source: 'include/linux/kref.h' },
  { name: 'refcount_inc_not_zero', note: 'returns true when the count was incremented', source: 'include/linux/refcount.h' },
];

/**
 * Dispatch macros: one name for many operations. `member` is the argument naming the operation, so
 * knowledge is keyed by it, never by the macro (`iommu_call(ops, suspend)` is not `iommu_call(ops, crash_shutdown)`).
 */
export const DISPATCH_MACROS: readonly { name: string; member: number; source: string }[] = [
  { name: 'iommu_call', member: 1, source: 'xen/include/xen/iommu.h: #define iommu_call(ops, fn, args...) ((ops)->fn(args))' },
  { name: 'iommu_vcall', member: 1, source: 'xen/include/xen/iommu.h' },
  { name: 'alternative_call', member: 0, source: 'xen/include/asm-x86/alternative.h' },
  { name: 'alternative_vcall', member: 0, source: 'xen/include/asm-x86/alternative.h' },
  { name: 'call_int_hook', member: 0, source: 'security/security.c (Linux LSM hooks)' },
];

export function dispatchedMember(name: string): number | undefined {
  return DISPATCH_MACROS.find((m) => m.name === name)?.member;
}

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

/** Errnos that say "this is not available here" (the author chose them for a missing feature or device), not "bad argument". */
export const NOT_AVAILABLE_ERRNOS: readonly string[] = ['EOPNOTSUPP', 'ENOTSUP', 'ENOSYS', 'ENODEV', 'ENXIO', 'ENOENT', 'EPERM', 'EACCES', 'ENOTTY'];

/**
 * Error codes that mean "what was looked for is not there" (an optional node, table, property or provider),
 * as opposed to a failure: POSIX/Linux errnos and libfdt's / GlobalPlatform's not-found codes.
 */
export const ABSENT_CODES: readonly string[] = ['ENOENT', 'ENODEV', 'ENXIO', 'FDT_ERR_NOTFOUND', 'TEE_ERROR_ITEM_NOT_FOUND'];
export const ABSENT_CODES_SOURCE = 'errno(3) ENOENT/ENODEV/ENXIO, libfdt.h FDT_ERR_NOTFOUND, GlobalPlatform TEE_ERROR_ITEM_NOT_FOUND';

/** `-ENOENT`, `-FDT_ERR_NOTFOUND`, `TEE_ERROR_ITEM_NOT_FOUND`...: the code a returned expression names, if it is an absent code. */
export function absentCode(expr: string): string | null {
  const m = /^\(?\s*(-?)\s*([A-Z][A-Z0-9_]*)\s*\)?$/.exec(expr.trim());
  return m && ABSENT_CODES.includes(m[2]!) ? `${m[1]}${m[2]}` : null;
}

/** A constant that names an error: `-EINVAL`, `TEE_ERROR_NOT_SUPPORTED` (not a success code such as `TEE_SUCCESS` or 0). */
export function isErrorConstant(expr: string): boolean {
  const t = expr.replace(/\s+/g, '');
  return /^\(?-E[A-Z0-9]+\)?$/.test(t) || /^-?[A-Z][A-Z0-9]*_ERR(OR)?_[A-Z0-9_]+$/.test(t);
}

/** Names a function's status variable usually has, most usual first (Xen CODING_STYLE practice, Linux `ret`/`err`). */
export const STATUS_VARIABLE_NAMES: readonly string[] = ['rc', 'ret', 'err', 'rv', 'error', 'status'];

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

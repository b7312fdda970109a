// Dispatch macros: one name for many operations (`iommu_call(ops, map_page, ...)`, `alternative_call(hvm_funcs.
// set_info_guest, v)`). Knowledge is keyed by the operation they dispatch, the struct member (`->map_page`), never
// by the macro, which every operation shares. Data with its source; read by the learner (a call site or a returned
// call through one is a call of the member) and by the review (src/review/calls.ts fallibilityKey).

/** `member` is the argument naming the operation: the member itself (`fn`) or the pointer read (`ops.fn`). */
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
 * The member a dispatch macro's argument names: `fn`, `ops.fn`, `d->ops->fn`, `(*ops).fn` all name `fn`.
 * Anything else (a function pointer variable, a computed expression) names no member.
 */
export function dispatchedMemberName(arg: string): string | undefined {
  const a = arg.replace(/\s+/g, '');
  const m = /^(?:[A-Za-z_][\w.>()*[\]-]*(?:->|\.))?([A-Za-z_]\w*)$/.exec(a);
  return m ? m[1] : undefined;
}

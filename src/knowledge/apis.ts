// Built-in API knowledge: functions whose failure convention is part of a documented contract, for
// when neither the tree nor the patch shows them. Each entry says where the contract is written.
// A project's own config (ReviewOptions.apis) and its tree's index take precedence.
import { CONVENTIONS, type ApiFact, type Convention, type Knowledge } from './types.ts';
import { factsKnowledge } from './layers.ts';

export const builtinApis: readonly ApiFact[] = [
  // Xen
  { name: 'iommu_map_page', returnType: 'int', convention: 'errno', source: 'returns a negative errno when the mapping fails (xen/include/xen/iommu.h)' },
  { name: 'iommu_unmap_page', returnType: 'int', convention: 'errno', source: 'returns a negative errno when the unmapping fails (xen/include/xen/iommu.h)' },
  { name: 'guest_physmap_add_page', returnType: 'int', convention: 'errno', source: 'returns a negative errno (xen/include/asm-x86/p2m.h)' },
  { name: 'xsm_default_action', returnType: 'int', convention: 'errno', failValues: ['-EPERM'], source: 'returns -EPERM when the action is denied (xen/include/xsm/dummy.h)' },
  { name: 'get_page', returnType: 'bool', convention: 'bool-success', failValues: ['0'], source: 'returns 1 when the reference was taken, 0 when it was not (xen/include/asm-x86/mm.h)' },
  { name: 'get_page_type', returnType: 'int', convention: 'bool-success', failValues: ['0'], source: 'returns 1 when the type reference was taken, 0 when it was not (xen/arch/x86/mm.c)' },
  { name: 'get_page_and_type', returnType: 'int', convention: 'bool-success', failValues: ['0'], source: 'returns 1 when both references were taken, 0 when not (xen/include/asm-x86/mm.h)' },
  // Linux
  { name: 'request_irq', returnType: 'int', convention: 'errno', source: 'returns a negative errno when the interrupt cannot be claimed (include/linux/interrupt.h)' },
  { name: 'copy_from_user', returnType: 'unsigned long', convention: 'count', source: 'returns the number of bytes not copied (include/linux/uaccess.h)' },
  { name: 'copy_to_user', returnType: 'unsigned long', convention: 'count', source: 'returns the number of bytes not copied (include/linux/uaccess.h)' },
  { name: 'device_register', returnType: 'int', convention: 'errno', source: 'returns a negative errno (drivers/base/core.c)' },
  { name: 'platform_driver_register', returnType: 'int', convention: 'errno', source: 'returns a negative errno (include/linux/platform_device.h)' },
  { name: 'pci_enable_device', returnType: 'int', convention: 'errno', source: 'returns a negative errno (drivers/pci/pci.c)' },
  { name: 'clk_prepare_enable', returnType: 'int', convention: 'errno', source: 'returns a negative errno (include/linux/clk.h)' },
  { name: 'regulator_enable', returnType: 'int', mustCheck: true, convention: 'errno', source: 'returns a negative errno, declared __must_check (include/linux/regulator/consumer.h)' },
  { name: 'mutex_lock_interruptible', returnType: 'int', mustCheck: true, convention: 'errno', failValues: ['-EINTR'], source: 'returns -EINTR when interrupted (include/linux/mutex.h)' },
  { name: 'try_module_get', returnType: 'bool', convention: 'bool-success', failValues: ['0'], source: 'returns true when the module reference was taken (include/linux/module.h)' },
  { name: 'mutex_trylock', returnType: 'int', convention: 'bool-success', failValues: ['0'], source: 'returns 1 when the mutex was acquired, 0 on contention (include/linux/mutex.h)' },
  { name: 'spin_trylock', returnType: 'int', convention: 'bool-success', failValues: ['0'], source: 'returns 1 when the lock was acquired, 0 on contention (include/linux/spinlock.h)' },
  { name: 'kref_get_unless_zero', returnType: 'int', convention: 'bool-success', failValues: ['0'], source: 'returns non-zero when the reference was taken (include/linux/kref.h)' },
  { name: 'refcount_inc_not_zero', returnType: 'bool', convention: 'bool-success', failValues: ['0'], source: 'returns true when the count was incremented (include/linux/refcount.h)' },
  // C library: results that look like errors but are values (declared int is not evidence)
  { name: 'snprintf', returnType: 'int', convention: 'value', source: 'returns the length the output would have had (C11 7.21.6.5); not a failure report in kernel code' },
  { name: 'scnprintf', returnType: 'int', convention: 'value', source: 'returns the number of characters written (include/linux/kernel.h)' },
  { name: 'strcmp', returnType: 'int', convention: 'value', source: 'returns an ordering (C11 7.24.4.2)' },
  { name: 'strncmp', returnType: 'int', convention: 'value', source: 'returns an ordering (C11 7.24.4.4)' },
  { name: 'memcmp', returnType: 'int', convention: 'value', source: 'returns an ordering (C11 7.24.4.1)' },
];

export const builtinKnowledge = (): Knowledge => factsKnowledge(builtinApis, {});

/** The project config's known APIs (ReviewOptions.apis). */
export interface ApiConfig {
  fallible?: { name: string; convention?: string; note?: string }[];
  infallible?: string[];
}

/** Facts from a project config; an unknown convention name is an error the caller reports. */
export function configKnowledge(apis: ApiConfig): Knowledge {
  const facts: ApiFact[] = [];
  for (const f of apis.fallible ?? []) {
    const convention = (f.convention ?? 'errno') as Convention;
    if (!CONVENTIONS.includes(convention) || convention === 'value' || convention === 'unknown') {
      throw new RangeError(`apis.fallible: ${f.name}: unknown failure convention '${f.convention}' (one of errno, err-ptr, null, zero-fail, bool-success, count)`);
    }
    const failValues = convention === 'null' ? ['NULL'] : convention === 'zero-fail' || convention === 'bool-success' ? ['0'] : undefined;
    facts.push({ name: f.name, convention, ...(failValues ? { failValues } : {}), source: `project config${f.note ? `: ${f.note}` : ''}` });
  }
  for (const name of apis.infallible ?? []) facts.push({ name, convention: 'value', source: 'project config: listed as infallible' });
  return factsKnowledge(facts, {});
}

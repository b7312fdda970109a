// Built-in API knowledge: the core APIs whose failure convention is part of a documented contract, for
// when neither the tree nor the patch shows them (fragment mode: a patch and no tree). This is the ONE
// home of built-in per-function facts; the review reads them through the knowledge layer (fallibility.ts,
// the sim session's conventionOf), never from a table of its own.
//
// Entries are chosen BY FAMILY, from the public headers named in each source (every function of the header
// whose failure report is part of its contract), not from any commit: the C library and POSIX, Linux core
// (allocators, user copies, ERR_PTR constructors, clock/regulator/irq/runtime-PM enables, locks), Xen core
// (xmalloc/xvmalloc, heap pages, guest copies, vmap/ioremap, device tree, domains, IOMMU, rangesets,
// P2M), OP-TEE core (malloc/nex_malloc, clocks, crypto, time, tee_mm, memory protection, MMU, device tree,
// DT drivers) and libfdt. Functions that do NOT report failure are listed too (`value`: xfree,
// map_domain_page, strcmp, snprintf...), so a declared `int` is not mistaken for a status.
// A project's own config (ReviewOptions.apis), saved kb and tree index take precedence (layers.ts).
import { CONVENTIONS, type ApiFact, type Convention, type Knowledge } from './types.ts';
import { factsKnowledge, stackKnowledge } from './layers.ts';
import { minedKnowledge } from './mined.ts';

interface FamilyOptions {
  failValues?: string[];
  mustCheck?: boolean;
  /**
   * The contract holds since this date (YYYY-MM-DD, the commit that changed it): before, the function returned
   * void or could not fail. A patch written earlier (its Date:) does not get the fact, nor does one without a date.
   */
  since?: string;
  /** The failure the contract names is lack of memory (heap allocators). */
  allocates?: boolean;
  /** An iterator: its only failure is its callback's (ApiFact.failsThrough). */
  failsThrough?: 'callback';
}

/** One family: functions of one header that share a return type and a failure contract. */
function family(header: string, returnType: string, convention: Convention, contract: string, names: readonly string[], o: FamilyOptions = {}): ApiFact[] {
  const failValues = o.failValues ?? defaultFailValues(convention);
  return names.map((name) => ({
    name,
    returnType,
    ...(o.mustCheck ? { mustCheck: true } : {}),
    ...(o.allocates ? { allocates: true } : {}),
    ...(o.failsThrough ? { failsThrough: o.failsThrough } : {}),
    convention,
    ...(failValues ? { failValues } : {}),
    source: `${contract} (${header})`,
    ...(o.since ? { era: { since: o.since, changed: true } } : {}),
  }));
}

function defaultFailValues(c: Convention): string[] | undefined {
  switch (c) {
    case 'null':
      return ['NULL'];
    case 'zero-fail':
    case 'bool-success':
      return ['0'];
    case 'err-ptr':
      return ['ERR_PTR(-ENOMEM)'];
    default:
      return undefined;
  }
}

const TEE_FAIL = ['TEE_ERROR_GENERIC', 'TEE_ERROR_OUT_OF_MEMORY', 'TEE_ERROR_BAD_PARAMETERS'];
const FDT_FAIL = ['-FDT_ERR_NOTFOUND', '-FDT_ERR_BADOFFSET', '-FDT_ERR_NOSPACE'];

// ---- C library and POSIX ----
const C_LIBRARY: ApiFact[] = [
  ...family('C11 7.22.3, stdlib.h', 'void *', 'null', 'returns NULL when the memory cannot be allocated',
    ['malloc', 'calloc', 'realloc', 'aligned_alloc'], { allocates: true }),
  ...family('POSIX string.h/stdlib.h', 'void *', 'null', 'returns NULL when the memory cannot be allocated',
    ['strdup', 'strndup', 'memalign'], { allocates: true }),
  ...family('C11 7.21.5.3, stdio.h', 'FILE *', 'null', 'returns NULL when the file cannot be opened', ['fopen', 'fdopen']),
  ...family('POSIX unistd.h/fcntl.h', 'int', 'errno', 'returns -1 and sets errno on failure',
    ['open', 'close', 'dup', 'dup2', 'pipe', 'unlink', 'fsync', 'ftruncate'], { failValues: ['-1'] }),
  ...family('POSIX unistd.h', 'ssize_t', 'errno', 'returns -1 and sets errno on failure, else the bytes transferred',
    ['read', 'write', 'pread', 'pwrite'], { failValues: ['-1'] }),
  ...family('C11 7.22.3.3, stdlib.h', 'void', 'value', 'releases memory; reports nothing', ['free']),
  ...family('C11 7.21.6, stdio.h', 'int', 'value',
    'returns the length the output has or would have had; not a failure report in kernel code',
    ['snprintf', 'sprintf', 'vsnprintf', 'vsprintf', 'printf']),
  ...family('C11 7.24.4, string.h', 'int', 'value', 'returns an ordering', ['strcmp', 'strncmp', 'memcmp', 'strcasecmp', 'strncasecmp']),
  ...family('C11 7.24.2/7.24.6, string.h', 'void *', 'value', 'returns its destination; cannot fail', ['memcpy', 'memmove', 'memset']),
  ...family('C11 7.24.6.3, string.h', 'size_t', 'value', 'returns a length', ['strlen', 'strnlen']),
  ...family('BSD string.h; also the Linux, Xen and OP-TEE libraries', 'size_t', 'value',
    'returns the length of the source, truncation is seen by comparing it with the size', ['strlcpy', 'strlcat']),
  ...family('C11 7.22.1.4, stdlib.h', 'unsigned long', 'value', 'returns the converted value', ['strtoul', 'strtol', 'strtoull', 'strtoll']),
];

// ---- Linux core ----
const LINUX: ApiFact[] = [
  ...family('include/linux/slab.h', 'void *', 'null', 'returns NULL when the memory cannot be allocated',
    ['kmalloc', 'kzalloc', 'kcalloc', 'kmalloc_array', 'krealloc', 'krealloc_array', 'kmalloc_node', 'kzalloc_node',
      'kcalloc_node', 'kmem_cache_alloc', 'kmem_cache_zalloc', 'kmem_cache_create', 'kmemdup', 'kvmalloc', 'kvzalloc',
      'kvcalloc', 'kvmalloc_array', 'kstrdup', 'kstrndup', 'kstrdup_const', 'kasprintf'], { allocates: true }),
  ...family('include/linux/vmalloc.h', 'void *', 'null', 'returns NULL when the memory cannot be allocated or mapped',
    ['vmalloc_user', 'vmalloc_node', 'vzalloc_node', 'vmalloc_32'], { allocates: true }),
  ...family('include/linux/device.h, devres', 'void *', 'null', 'returns NULL when the managed memory cannot be allocated',
    ['devm_kmalloc', 'devm_kzalloc', 'devm_kcalloc', 'devm_kmalloc_array', 'devm_kstrdup', 'devm_kmemdup', 'devm_kasprintf']),
  ...family('include/linux/gfp.h', 'struct page *', 'null', 'returns NULL when no pages are available',
    ['alloc_pages', 'alloc_page', 'alloc_pages_node']),
  ...family('include/linux/gfp.h', 'unsigned long', 'zero-fail', 'returns 0 when no pages are available',
    ['__get_free_pages', '__get_free_page', 'get_zeroed_page']),
  ...family('include/linux/dma-mapping.h', 'void *', 'null', 'returns NULL when the coherent buffer cannot be allocated',
    ['dma_alloc_coherent', 'dmam_alloc_coherent']),
  ...family('include/linux/io.h', 'void __iomem *', 'null', 'returns NULL when the region cannot be mapped',
    ['ioremap_uc', 'devm_ioremap', 'devm_ioremap_wc', 'of_iomap', 'pci_iomap']),
  ...family('include/linux/slab.h, include/linux/vmalloc.h', 'void', 'value', 'releases memory; reports nothing',
    ['kfree', 'kvfree', 'kfree_sensitive', 'kmem_cache_free', 'devm_kfree', 'iounmap']),
  // MMIO reads return the register's contents; a read whose value is dropped clears or flushes (read-to-clear).
  ...family('include/asm-generic/io.h (Linux, U-Boot), TF-A include/lib/mmio.h, OP-TEE core/include/io.h', 'u32', 'value',
    'returns the register\'s value; an MMIO read cannot fail',
    ['readb', 'readw', 'readl', 'readq', '__raw_readb', '__raw_readw', 'readl_relaxed', '__raw_readl', '__raw_readq', 'ioread8', 'ioread16', 'ioread32',
      'mmio_read_8', 'mmio_read_16', 'mmio_read_32', 'mmio_read_64', 'io_read8', 'io_read16', 'io_read32', 'io_read64', 'in_le32', 'in_be32', 'in_le16', 'in_be16']),
  // user copies
  ...family('include/linux/uaccess.h', 'unsigned long', 'count', 'returns the number of bytes NOT copied (0 on success)',
    ['__copy_from_user', '__copy_to_user', 'copy_in_user', 'clear_user', '__clear_user', 'copy_from_user_nofault', 'copy_to_user_nofault']),
  ...family('include/linux/uaccess.h; also Xen asm/uaccess.h; OP-TEE core/include/kernel/user_access.h: a TEE_Result, non-zero on failure',
    'unsigned long', 'count', 'returns 0 on success, non-zero (the bytes NOT copied) on failure', ['copy_from_user', 'copy_to_user']),
  ...family('include/linux/uaccess.h; also Xen asm/uaccess.h', 'int', 'errno', 'returns 0 or -EFAULT when the user address faults',
    ['get_user', 'put_user', '__get_user', '__put_user'], { failValues: ['-EFAULT'] }),
  ...family('include/linux/uaccess.h', 'long', 'errno', 'returns the length copied, or -EFAULT', ['strncpy_from_user'], { failValues: ['-EFAULT'] }),
  ...family('include/linux/string.h', 'void *', 'err-ptr', 'returns an ERR_PTR() (-EFAULT, -ENOMEM) when the copy fails',
    ['memdup_user', 'vmemdup_user', 'memdup_user_nul', 'strndup_user'], { failValues: ['ERR_PTR(-EFAULT)', 'ERR_PTR(-ENOMEM)'] }),
  // ERR_PTR constructors
  ...family('include/linux/clk.h', 'struct clk *', 'err-ptr', 'returns an ERR_PTR() when the clock cannot be found',
    ['clk_get', 'devm_clk_get', 'devm_clk_get_enabled', 'devm_clk_get_prepared', 'of_clk_get', 'of_clk_get_by_name', 'clk_hw_register_fixed_rate'],
    { failValues: ['ERR_PTR(-ENOENT)', 'ERR_PTR(-EPROBE_DEFER)'] }),
  ...family('include/linux/regulator/consumer.h', 'struct regulator *', 'err-ptr', 'returns an ERR_PTR() when the supply cannot be found',
    ['regulator_get', 'devm_regulator_get', 'regulator_get_exclusive', 'devm_regulator_get_exclusive'], { failValues: ['ERR_PTR(-EPROBE_DEFER)', 'ERR_PTR(-ENODEV)'] }),
  ...family('include/linux/reset.h, include/linux/gpio/consumer.h', 'void *', 'err-ptr', 'returns an ERR_PTR() when the line cannot be obtained',
    ['devm_reset_control_get', 'devm_reset_control_get_exclusive', 'reset_control_get', 'gpiod_get', 'devm_gpiod_get', 'devm_gpiod_get_index'],
    { failValues: ['ERR_PTR(-ENOENT)', 'ERR_PTR(-EPROBE_DEFER)'] }),
  ...family('include/linux/device.h, include/linux/platform_device.h', 'void __iomem *', 'err-ptr', 'returns an ERR_PTR() when the resource cannot be requested or mapped',
    ['devm_ioremap_resource', 'devm_platform_ioremap_resource', 'devm_platform_ioremap_resource_byname', 'devm_platform_get_and_ioremap_resource'],
    { failValues: ['ERR_PTR(-EBUSY)', 'ERR_PTR(-EINVAL)'] }),
  ...family('include/linux/kthread.h', 'struct task_struct *', 'err-ptr', 'returns an ERR_PTR() when the thread cannot be created',
    ['kthread_create', 'kthread_run', 'kthread_create_on_node']),
  ...family('include/linux/device/class.h, include/linux/device.h', 'void *', 'err-ptr', 'returns an ERR_PTR() when the object cannot be created',
    ['class_create', 'device_create', 'platform_device_register_simple', 'platform_device_register_data', 'platform_device_register_full']),
  ...family('include/linux/fs.h', 'struct file *', 'err-ptr', 'returns an ERR_PTR() when the file cannot be opened', ['filp_open', 'anon_inode_getfile']),
  ...family('include/crypto/hash.h, include/crypto/skcipher.h', 'void *', 'err-ptr', 'returns an ERR_PTR() when the transform cannot be allocated',
    ['crypto_alloc_shash', 'crypto_alloc_ahash', 'crypto_alloc_skcipher', 'crypto_alloc_aead']),
  // enables, registrations and other int-returning core calls
  ...family('include/linux/clk.h', 'int', 'errno', 'returns a negative errno when the clock cannot be prepared/enabled',
    ['clk_prepare_enable', 'clk_prepare', 'clk_bulk_prepare_enable', 'clk_bulk_enable', 'clk_bulk_prepare'], { failValues: ['-EINVAL'] }),
  ...family('include/linux/regulator/consumer.h; OP-TEE core/include/drivers/regulator.h: a TEE_Result', 'int', 'errno', 'returns a negative errno, declared __must_check',
    ['regulator_enable'], { mustCheck: true, failValues: ['-EINVAL'] }),
  ...family('include/linux/regulator/consumer.h', 'int', 'errno', 'returns a negative errno, declared __must_check',
    ['regulator_bulk_enable'], { mustCheck: true, failValues: ['-EINVAL'] }),
  ...family('include/linux/interrupt.h; also Xen xen/include/xen/irq.h', 'int', 'errno', 'returns a negative errno when the interrupt cannot be claimed',
    ['request_irq'], { failValues: ['-EBUSY', '-EINVAL', '-ENOMEM'] }),
  ...family('include/linux/interrupt.h', 'int', 'errno', 'returns a negative errno when the interrupt cannot be claimed',
    ['request_threaded_irq', 'devm_request_irq', 'devm_request_threaded_irq', 'request_any_context_irq'],
    { failValues: ['-EBUSY', '-EINVAL', '-ENOMEM'] }),
  ...family('include/linux/platform_device.h; also Xen xen/arch/arm/include/asm/platform.h', 'int', 'errno', 'returns the interrupt number or a negative errno',
    ['platform_get_irq'], { failValues: ['-ENXIO', '-EPROBE_DEFER'] }),
  ...family('include/linux/platform_device.h', 'int', 'errno', 'returns the interrupt number or a negative errno',
    ['platform_get_irq_byname', 'platform_get_irq_optional'], { failValues: ['-ENXIO', '-EPROBE_DEFER'] }),
  ...family('include/linux/pm_runtime.h', 'int', 'errno', 'returns a negative errno when the device cannot be resumed (>= 0 on success)',
    ['pm_runtime_get_sync', 'pm_runtime_resume_and_get', 'pm_runtime_resume', 'pm_runtime_set_active'], { failValues: ['-EACCES', '-EINVAL'] }),
  ...family('drivers/base/core.c, include/linux/device/driver.h, include/linux/platform_device.h', 'int', 'errno', 'returns a negative errno when registration fails',
    ['device_register', 'device_add', 'driver_register', 'platform_driver_register', 'platform_device_register', 'platform_device_add',
      'misc_register', 'cdev_add', 'register_chrdev_region', 'alloc_chrdev_region', 'input_register_device', 'devm_add_action_or_reset'],
    { failValues: ['-ENOMEM', '-EINVAL', '-EBUSY'] }),
  ...family('include/linux/sysfs.h', 'int', 'errno', 'returns a negative errno, declared __must_check',
    ['sysfs_create_group', 'sysfs_create_file', 'sysfs_create_link'], { mustCheck: true, failValues: ['-ENOMEM', '-EEXIST'] }),
  ...family('drivers/pci/pci.c, include/linux/pci.h', 'int', 'errno', 'returns a negative errno', ['pci_enable_device', 'pcim_enable_device', 'pci_request_regions', 'pci_set_dma_mask', 'dma_set_mask_and_coherent'],
    { failValues: ['-EIO', '-EBUSY'] }),
  ...family('include/linux/of.h', 'int', 'errno', 'returns 0, or -EINVAL/-ENODATA/-EOVERFLOW when the property is missing or malformed',
    ['of_property_read_u32', 'of_property_read_u64', 'of_property_read_string', 'of_property_read_u32_array', 'of_property_read_u32_index',
      'of_address_to_resource', 'of_irq_get'], { failValues: ['-EINVAL', '-ENODATA'] }),
  ...family('include/linux/of.h', 'struct device_node *', 'null', 'returns NULL when no node matches',
    ['of_find_node_by_name', 'of_find_node_by_path', 'of_find_compatible_node', 'of_find_node_by_phandle', 'of_get_child_by_name', 'of_parse_phandle']),
  ...family('include/linux/platform_device.h', 'struct resource *', 'null', 'returns NULL when the device has no such resource',
    ['platform_get_resource', 'platform_get_resource_byname']),
  // locks and references
  ...family('include/linux/mutex.h', 'int', 'errno', 'returns -EINTR when interrupted (or -EINTR/-EKILL when killed), declared __must_check',
    ['mutex_lock_interruptible', 'mutex_lock_killable'], { mustCheck: true, failValues: ['-EINTR'] }),
  ...family('include/linux/semaphore.h', 'int', 'errno', 'returns -EINTR (-ETIME for the timeout form) when the semaphore was not taken, declared __must_check',
    ['down_interruptible', 'down_killable', 'down_timeout'], { mustCheck: true, failValues: ['-EINTR'] }),
  ...family('include/linux/semaphore.h', 'int', 'errno', 'returns 0 when the semaphore was taken and 1 when it was not (the inverse of mutex_trylock)',
    ['down_trylock'], { failValues: ['1'] }),
  ...family('include/linux/completion.h', 'int', 'errno', 'returns -ERESTARTSYS when interrupted', ['wait_for_completion_interruptible', 'wait_for_completion_killable'],
    { failValues: ['-ERESTARTSYS'] }),
  ...family('include/linux/completion.h', 'unsigned long', 'zero-fail', 'returns 0 when it timed out, else the time left', ['wait_for_completion_timeout']),
  ...family('include/linux/spinlock.h; also Xen xen/include/xen/spinlock.h', 'int', 'bool-success',
    'returns 1 when the lock was acquired, 0 on contention', ['spin_trylock', 'spin_trylock_irqsave', 'write_trylock', 'read_trylock']),
  ...family('include/linux/mutex.h, include/linux/spinlock.h', 'int', 'bool-success',
    'returns 1 when the lock was acquired, 0 on contention', ['mutex_trylock', 'spin_trylock_irq']),
  ...family('include/linux/module.h', 'bool', 'bool-success', 'returns true when the module reference was taken', ['try_module_get']),
  ...family('include/asm-generic/access_ok.h', 'bool', 'bool-success', 'returns true when the user range may be accessed', ['access_ok']),
  ...family('include/linux/kref.h, include/linux/refcount.h', 'int', 'bool-success', 'returns non-zero when the reference was taken',
    ['kref_get_unless_zero', 'refcount_inc_not_zero', 'atomic_inc_not_zero', 'get_device_unless_zero']),
  ...family('include/linux/kernel.h, include/linux/sprintf.h', 'int', 'value', 'returns the number of characters written', ['scnprintf', 'vscnprintf']),
  ...family('include/linux/string.h', 'ssize_t', 'errno', 'returns the length copied or -E2BIG when the source was truncated', ['strscpy', 'strscpy_pad'], { failValues: ['-E2BIG'] }),
];

// ---- Xen core ----
const XEN_ALLOC = 'returns NULL when the memory cannot be allocated';
const XEN: ApiFact[] = [
  ...family('xen/include/xen/xmalloc.h', 'void *', 'null', XEN_ALLOC,
    ['xmalloc', 'xzalloc', 'xmalloc_array', 'xzalloc_array', 'xrealloc_array', 'xmalloc_bytes', 'xzalloc_bytes', 'xmemdup', 'xmemdup_bytes',
      'xmalloc_flex_struct', 'xzalloc_flex_struct', 'xrealloc_flex_struct', '_xmalloc', '_xzalloc', '_xrealloc', '_xmalloc_array',
      '_xzalloc_array', '_xrealloc_array', 'xmem_pool_alloc', 'xmem_pool_create'], { allocates: true }),
  ...family('xen/include/xen/xvmalloc.h', 'void *', 'null', XEN_ALLOC,
    ['xvmalloc', 'xvzalloc', 'xvmalloc_array', 'xvzalloc_array', 'xvmemdup', 'xvmalloc_flex_struct', 'xvzalloc_flex_struct',
      'xvrealloc_flex_struct', '_xvmalloc', '_xvzalloc', '_xvrealloc', '_xvmalloc_array', '_xvzalloc_array'], { allocates: true }),
  ...family('xen/include/xen/xmalloc.h, xen/include/xen/xvmalloc.h', 'void', 'value', 'releases memory (NULL is fine); reports nothing',
    ['xfree', 'xvfree', 'XFREE', 'XVFREE', 'xmem_pool_free', 'xmem_pool_destroy']),
  ...family('xen/include/xen/mm.h', 'void *', 'null', 'returns NULL when no Xen heap pages are available',
    ['alloc_xenheap_pages', 'alloc_xenheap_page']),
  ...family('xen/include/xen/mm.h', 'struct page_info *', 'null', 'returns NULL when no domain heap pages are available',
    ['alloc_domheap_pages', 'alloc_domheap_page']),
  ...family('xen/include/xen/mm.h', 'void', 'value', 'releases pages; reports nothing',
    ['free_xenheap_pages', 'free_xenheap_page', 'free_domheap_pages', 'free_domheap_page', 'put_page', 'put_page_and_type']),
  ...family('xen/include/xen/mm.h', 'mfn_t', 'value', 'panics rather than return a failure', ['alloc_boot_pages']),
  // Left out: map_pages_to_xen(), modify_xen_mappings(), destroy_xen_mappings() (xen/include/xen/mm.h) return a
  // negative errno, but Xen's boot and teardown paths drop them by habit (about a third of their callers).
  ...family('xen/include/xen/mm.h', 'int', 'errno', 'returns 0 or a negative errno',
    ['assign_pages', 'assign_page', 'acquire_domstatic_pages', 'online_page', 'offline_page', 'query_page_offline', 'domain_set_outstanding_pages',
      'xenmem_add_to_physmap', 'xenmem_add_to_physmap_one', 'prepare_ring_for_helper'], { failValues: ['-EINVAL', '-ENOMEM', '-EBUSY'] }),
  ...family('xen/include/xen/mm.h', 'int', 'errno', 'returns 0 or a negative errno, declared __must_check',
    ['guest_remove_page', 'steal_page'], { mustCheck: true, failValues: ['-EINVAL', '-ENOENT'] }),
  ...family('xen/include/xen/mm.h', 'bool', 'bool-success', 'returns true when the reference was taken, false when it was not, declared __must_check',
    ['get_page'], { mustCheck: true }),
  ...family('xen/include/xen/mm.h', 'struct domain *', 'null', 'returns NULL when no reference could be taken, declared __must_check',
    ['page_get_owner_and_reference'], { mustCheck: true }),
  ...family('xen/arch/x86/include/asm/mm.h', 'int', 'bool-success', 'returns 1 when the type reference was taken, 0 when it was not',
    ['get_page_type', 'get_page_and_type']),
  ...family('xen/arch/x86/include/asm/mm.h', 'struct page_info *', 'null', 'returns NULL when the frame is invalid or no reference could be taken',
    ['get_page_from_mfn']),
  ...family('xen/arch/*/include/asm/p2m.h', 'struct page_info *', 'null', 'returns NULL when the gfn has no page or no reference could be taken',
    ['get_page_from_gfn']),
  ...family('xen/arch/*/include/asm/guest_access.h', 'bool', 'bool-success', 'returns true when the guest range may be accessed (callers fail with -EFAULT otherwise)',
    ['guest_handle_okay', 'guest_handle_subrange_okay']),
  ...family('xen/arch/x86/include/asm/mm.h', 'int', 'errno', 'returns 0 or a negative errno (-EINTR/-ERESTART when preempted)',
    ['get_page_type_preemptible', 'put_page_type_preemptible', 'put_old_guest_table'], { failValues: ['-EINVAL', '-ERESTART'] }),
  // domain pages
  ...family('xen/include/xen/domain_page.h', 'void *', 'value', 'always returns a mapping (it cannot fail)',
    ['map_domain_page', '__map_domain_page', 'unmap_domain_page', 'unmap_domain_page_global', 'clear_domain_page', 'copy_domain_page']),
  ...family('xen/include/xen/domain_page.h', 'void *', 'null', 'returns NULL when no global mapping slot is available',
    ['map_domain_page_global', '__map_domain_page_global']),
  // guest copies
  ...family('xen/include/xen/guest_access.h', 'unsigned long', 'count', 'returns the number of bytes NOT copied (0 on success)',
    ['copy_to_guest', 'copy_from_guest', 'copy_to_guest_offset', 'copy_from_guest_offset', 'copy_field_to_guest', 'copy_field_from_guest',
      'clear_guest', 'clear_guest_offset', '__copy_to_guest', '__copy_from_guest', '__copy_to_guest_offset', '__copy_from_guest_offset',
      '__copy_field_to_guest', '__copy_field_from_guest', '__clear_guest', '__clear_guest_offset']),
  ...family('xen/arch/*/include/asm/guest_access.h', 'unsigned long', 'count', 'returns the number of bytes NOT copied (0 on success)',
    ['raw_copy_to_guest', 'raw_copy_from_guest', 'raw_clear_guest', '__raw_copy_to_guest', '__raw_copy_from_guest', 'copy_to_guest_phys']),
  // vmap / ioremap
  ...family('xen/include/xen/vmap.h; Linux include/linux/vmalloc.h alike', 'void *', 'null', 'returns NULL when the virtual range cannot be allocated or mapped',
    ['__vmap', 'vmap', 'vmap_contig', 'vmalloc', 'vmalloc_xen', 'vzalloc', 'ioremap']),
  ...family('xen/arch/arm/include/asm/mm.h, xen/arch/x86/include/asm/mm.h', 'void __iomem *', 'null', 'returns NULL when the region cannot be mapped',
    ['ioremap_attr', 'ioremap_nocache', 'ioremap_cache', 'ioremap_wc']),
  ...family('xen/include/xen/vmap.h', 'void', 'value', 'unmaps/releases; reports nothing', ['vunmap', 'vfree']),
  // P2M
  ...family('xen/include/xen/p2m-common.h', 'int', 'errno', 'returns 0 on success, a negative errno on failure (x86: a positive count when preempted)',
    ['map_mmio_regions', 'unmap_mmio_regions', 'set_foreign_p2m_entry'], { failValues: ['-EINVAL', '-ENOMEM'] }),
  ...family('xen/include/xen/p2m-common.h, xen/arch/*/include/asm/p2m.h', 'int', 'errno', 'returns 0 or a negative errno, declared __must_check',
    ['guest_physmap_add_page', 'guest_physmap_add_entry', 'check_get_page_from_gfn', 'p2m_set_allocation'],
    { mustCheck: true, failValues: ['-EINVAL', '-ENOMEM'] }),
  ...family('xen/include/xen/p2m-common.h', 'int', 'errno',
    'returns 0 or a negative errno, declared __must_check (void before: int on x86 since Xen 5ae03990c1, 2015-07-22, on Arm since a0cce6048d, 2017-06-20)',
    ['guest_physmap_remove_page'], { mustCheck: true, failValues: ['-EINVAL', '-ENOMEM'], since: '2015-07-22' }),
  // device tree
  ...family('xen/include/xen/device_tree.h', 'bool', 'bool-success', 'returns true when the property was found and read, false when the output was not written',
    ['dt_property_read_u32', 'dt_property_read_u64']),
  ...family('xen/include/xen/device_tree.h', 'bool', 'value', 'answers a question (is the property present, is it compatible, is it available)',
    ['dt_property_read_bool', 'dt_device_is_compatible', 'dt_machine_is_compatible', 'dt_device_is_available', 'dt_device_for_passthrough',
      'dt_node_name_is_equal', 'dt_node_path_is_equal', 'dt_device_type_is_equal']),
  ...family('xen/include/xen/device_tree.h', 'unsigned int', 'value', 'returns a count (0 when there is none)', ['dt_number_of_irq', 'dt_number_of_address']),
  ...family('xen/include/xen/device_tree.h', 'int', 'value', 'returns the cell count (the parent\'s, or the default)',
    ['dt_n_size_cells', 'dt_n_addr_cells', 'dt_child_n_size_cells', 'dt_child_n_addr_cells']),
  ...family('xen/include/xen/device_tree.h', 'const char *', 'value', 'returns the node\'s name or path', ['dt_node_name', 'dt_node_full_name']),
  ...family('xen/include/xen/device_tree.h', 'int', 'errno', 'returns 0 (or a count/index) on success, a negative errno (-EINVAL, -ENODATA, -EOVERFLOW) when the property is missing or malformed',
    ['dt_property_read_string', 'dt_property_read_u32_array', 'dt_property_read_variable_u32_array', 'dt_property_match_string',
      'dt_device_get_address', 'dt_device_get_paddr', 'dt_device_get_irq', 'dt_device_get_raw_irq', 'dt_irq_translate', 'dt_for_each_irq_map',
      'dt_for_each_range', 'dt_parse_phandle_with_args', 'dt_count_phandle_with_args', 'dt_get_pci_domain_nr', 'dt_map_id',
      'unflatten_device_tree', 'dt_find_node_by_gpath'], { failValues: ['-EINVAL', '-ENODATA'] }),
  ...family('xen/include/xen/device_tree.h', 'struct dt_device_node *', 'null', 'returns NULL when no node matches',
    ['dt_find_compatible_node', 'dt_find_node_by_name', 'dt_find_node_by_type', 'dt_find_node_by_alias', 'dt_find_node_by_path',
      'dt_find_node_by_path_from', 'dt_find_node_by_phandle', 'dt_parse_phandle', 'dt_find_matching_node', 'dt_find_interrupt_controller', 'dt_get_parent']),
  ...family('xen/include/xen/device_tree.h', 'const void *', 'null', 'returns NULL when the node has no such property', ['dt_get_property', 'dt_find_property']),
  // domains and vCPUs
  ...family('xen/include/xen/sched.h', 'struct domain *', 'err-ptr', 'returns an ERR_PTR() (-EINVAL, -ENOMEM, -EEXIST) when the domain cannot be created',
    ['domain_create'], { failValues: ['ERR_PTR(-ENOMEM)', 'ERR_PTR(-EINVAL)'] }),
  ...family('xen/include/xen/sched.h', 'struct domain *', 'null', 'returns NULL when no such domain exists (or no reference could be taken)',
    ['rcu_lock_domain_by_id', 'rcu_lock_domain_by_any_id', 'get_domain_by_id', 'get_pg_owner']),
  ...family('xen/include/xen/sched.h', 'int', 'errno', 'returns 0, or -ESRCH/-EPERM/-EINVAL when the domain cannot be locked',
    ['rcu_lock_remote_domain_by_id', 'rcu_lock_live_remote_domain_by_id'], { failValues: ['-ESRCH', '-EPERM'] }),
  ...family('xen/include/xen/sched.h', 'bool', 'bool-success', 'returns true when the reference was taken, false when the domain is dying',
    ['get_domain']),
  ...family('xen/include/xen/sched.h, xen/include/xen/domain.h', 'int', 'errno', 'returns 0 or a negative errno',
    ['domain_kill', 'domain_soft_reset', 'arch_domain_create', 'arch_vcpu_create'], { failValues: ['-EINVAL', '-ENOMEM', '-EBUSY'] }),
  ...family('xen/include/xen/sched.h', 'int', 'errno', 'returns 0 or a negative errno (void before Xen 3eb1c708ab, 2014-07-03)',
    ['domain_pause_by_systemcontroller', 'domain_unpause_by_systemcontroller'], { failValues: ['-EINVAL'], since: '2014-07-03' }),
  ...family('xen/include/xen/sched.h', 'int', 'errno', 'returns 0 or a negative errno (void before Xen e89cb79aae, 2018-01-11)',
    ['domain_shutdown'], { failValues: ['-EINVAL'], since: '2018-01-11' }),
  ...family('xen/include/xen/domain.h', 'int', 'errno', 'returns 0 or a negative errno (-ERESTART when preempted; void before Xen 4939f9a6de, 2013-05-02)',
    ['vcpu_reset'], { failValues: ['-EINVAL', '-ERESTART'], since: '2013-05-02' }),
  ...family('xen/include/xen/domain.h', 'struct vcpu *', 'null', 'returns NULL when the vCPU cannot be created', ['vcpu_create']),
  ...family('xen/include/xen/cpumask.h', 'bool', 'bool-success', 'returns false when the mask cannot be allocated',
    ['alloc_cpumask_var', 'zalloc_cpumask_var', 'cond_alloc_cpumask_var', 'cond_zalloc_cpumask_var']),
  ...family('xen/include/xen/bitmap.h, xen/include/xen/cpumask.h', 'int', 'errno', 'returns 0, -EFAULT when the guest buffer faults or -ENOMEM',
    ['bitmap_to_xenctl_bitmap', 'xenctl_bitmap_to_bitmap', 'cpumask_to_xenctl_bitmap', 'xenctl_bitmap_to_cpumask'], { failValues: ['-EFAULT', '-ENOMEM'] }),
  // rangesets
  ...family('xen/include/xen/rangeset.h', 'struct rangeset *', 'null', 'returns NULL when the rangeset cannot be allocated', ['rangeset_new']),
  ...family('xen/include/xen/rangeset.h', 'int', 'errno', 'returns 0 or -ENOMEM, declared __must_check',
    ['rangeset_add_range', 'rangeset_remove_range', 'rangeset_add_singleton', 'rangeset_remove_singleton', 'rangeset_merge',
      'rangeset_subtract', 'rangeset_claim_range'], { mustCheck: true, failValues: ['-ENOMEM'] }),
  ...family('xen/include/xen/rangeset.h', 'bool', 'value', 'answers a question about the set, not a failure',
    ['rangeset_contains_range', 'rangeset_overlaps_range', 'rangeset_contains_singleton', 'rangeset_is_empty']),
  ...family('xen/include/xen/rangeset.h', 'int', 'errno', 'returns 0 or the first non-zero result of the callback',
    ['rangeset_report_ranges', 'rangeset_consume_ranges'], { failValues: ['-EINVAL'] }),
  // IOMMU
  ...family('xen/include/xen/iommu.h', 'int', 'errno', 'returns 0 or a negative errno when the IOMMU operation fails, declared __must_check',
    ['iommu_map', 'iommu_unmap', 'iommu_legacy_map', 'iommu_legacy_unmap', 'iommu_lookup_page'],
    { mustCheck: true, failValues: ['-ENOMEM', '-EIO'] }),
  ...family('xen/include/xen/iommu.h', 'int', 'errno', 'returns 0 or a negative errno when the flush or suspend fails, declared __must_check (void before Xen ca5c20d8e3/f4a305bad6, 2016-06-17)',
    ['iommu_iotlb_flush', 'iommu_iotlb_flush_all', 'iommu_suspend'], { mustCheck: true, failValues: ['-EIO'], since: '2016-06-17' }),
  ...family('xen/include/xen/iommu.h', 'int', 'errno', 'returns 0 or a negative errno when the IOMMU operation fails',
    ['iommu_map_page', 'iommu_unmap_page', 'iommu_setup', 'iommu_hardware_setup', 'iommu_domain_init', 'iommu_assign_dt_device',
      'iommu_deassign_dt_device', 'iommu_dt_domain_init', 'iommu_release_dt_devices', 'iommu_add_dt_device', 'iommu_remove_dt_device',
      'pt_irq_create_bind', 'pt_irq_destroy_bind'], { failValues: ['-ENOMEM', '-EINVAL', '-ENODEV'] }),
  // interrupts, events, misc
  // Left out: setup_irq() (xen/include/xen/irq.h, a negative errno) is dropped by habit for the boot-time timer,
  // maintenance and cascade interrupts (5 of its 17 callers); request_irq() is checked everywhere. irq_set_type()
  // (Arm's asm/irq.h, -EBUSY for an irq already set up another way) likewise: the boot-time timer, maintenance and
  // UART interrupts drop it (10 of its 12 calling sites at Xen c447b7308b13; ACPI boot code since 2016).
  ...family('xen/include/xen/irq.h; Linux include/linux/interrupt.h returns a negative errno', 'void', 'value', 'reports nothing in Xen',
    ['irq_set_affinity']),
  ...family('xen/include/xen/event.h', 'int', 'errno', 'returns the port or a negative errno when no port can be allocated or bound',
    ['alloc_unbound_xen_event_channel', 'evtchn_init', 'evtchn_reset'], { failValues: ['-ENOSPC', '-EINVAL', '-ENOMEM'] }),
  ...family('xen/include/xen/event.h', 'int', 'errno', 'returns 0 or a negative errno when no port can be allocated or bound, declared __must_check',
    ['evtchn_alloc_unbound', 'evtchn_bind_interdomain'], { mustCheck: true, failValues: ['-ENOSPC', '-EINVAL'] }),
  ...family('xen/include/xsm/dummy.h', 'int', 'errno', 'returns -EPERM when the action is denied', ['xsm_default_action'], { failValues: ['-EPERM'] }),
  ...family('xen/include/xsm/hooks.h, xen/include/xsm/xsm.h', 'int', 'errno', 'an XSM permission hook: returns 0, or -EPERM (or another negative errno) when the action is denied',
    ['domain_create', 'getdomaininfo', 'get_domain_state', 'sysctl', 'set_target', 'domctl', 'evtchn_unbound', 'evtchn_interdomain', 'evtchn_send',
      'evtchn_status', 'evtchn_reset', 'grant_mapref', 'grant_unmapref', 'grant_setup', 'grant_transfer', 'grant_copy', 'grant_query_size',
      'init_hardware_domain', 'get_pod_target', 'set_pod_target', 'memory_exchange', 'memory_adjust_reservation', 'memory_stat_reservation',
      'memory_pin_page', 'add_to_physmap', 'remove_from_physmap', 'map_gmfn_foreign', 'claim_pages', 'console_io', 'kexec', 'schedop_shutdown',
      'map_domain_pirq', 'unmap_domain_pirq', 'map_domain_irq', 'unmap_domain_irq', 'bind_pt_irq', 'unbind_pt_irq', 'irq_permission',
      'iomem_permission', 'iomem_mapping', 'resource_plug_pci', 'resource_unplug_pci', 'get_device_group', 'resource_setup_misc',
      'resource_setup_pci', 'resource_setup_gsi', 'pci_config_permission', 'hypfs_op', 'hvm_param', 'hvm_param_altp2mhvm', 'hvm_altp2mhvm_op',
      'get_vnumainfo', 'mem_access', 'mem_paging', 'mem_sharing', 'mem_sharing_op', 'platform_op', 'apic', 'machine_memory_map',
      'domain_memory_map', 'do_mca', 'mmu_update', 'mmuext_op', 'update_va_mapping', 'priv_mapping', 'ioport_permission', 'ioport_mapping',
      'pmu_op', 'dm_op', 'xen_version', 'domain_resource_map', 'alloc_security_domain', 'alloc_security_evtchns', 'set_system_active']
      .map((hook) => `xsm_${hook}`), { failValues: ['-EPERM'] }),
  ...family('xen/include/xen/lib.h, xen/include/xen/timer.h', 'void', 'value', 'reports nothing',
    ['printk', 'init_timer', 'set_timer', 'stop_timer', 'kill_timer', 'cpumask_copy', 'free_cpumask_var']),
];

// ---- OP-TEE core ----
const OPTEE: ApiFact[] = [
  ...family('lib/libutils/isoc/include/malloc.h', 'void *', 'null', 'returns NULL when the memory cannot be allocated',
    ['malloc_flags', 'raw_malloc', 'raw_calloc', 'raw_realloc', 'raw_memalign', 'raw_malloc_flags', 'nex_malloc', 'nex_calloc', 'nex_realloc', 'nex_memalign'], { allocates: true }),
  ...family('lib/libutils/isoc/include/malloc.h', 'void', 'value', 'releases memory (NULL is fine); reports nothing', ['nex_free', 'free_flags', 'free_wipe']),
  ...family('lib/libutee/include/tee_internal_api.h', 'void *', 'null', 'returns NULL when the memory cannot be allocated', ['TEE_Malloc', 'TEE_Realloc'], { allocates: true }),
  ...family('lib/libutee/include/tee_internal_api.h; GlobalPlatform TEE Internal Core API', 'TEE_Result', 'errno',
    'returns a TEE_Result: TEE_SUCCESS, or an error code the specification lists (TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_MAC_INVALID, TEE_ERROR_ITEM_NOT_FOUND...)',
    ['TEE_AEDecryptFinal', 'TEE_AEEncryptFinal', 'TEE_AEInit', 'TEE_AEUpdate', 'TEE_AllocateOperation', 'TEE_AllocatePersistentObjectEnumerator',
      'TEE_AllocatePropertyEnumerator', 'TEE_AllocateTransientObject', 'TEE_AsymmetricDecrypt', 'TEE_AsymmetricEncrypt', 'TEE_AsymmetricSignDigest',
      'TEE_AsymmetricVerifyDigest', 'TEE_BigIntConvertFromOctetString', 'TEE_BigIntConvertToOctetString', 'TEE_BigIntConvertToS32',
      'TEE_BigIntExpMod', 'TEE_BigIntSetBit', 'TEE_CheckMemoryAccessRights', 'TEE_CipherDoFinal', 'TEE_CipherUpdate',
      'TEE_CloseAndDeletePersistentObject1', 'TEE_CopyObjectAttributes1', 'TEE_CreatePersistentObject', 'TEE_DigestDoFinal', 'TEE_DigestExtract',
      'TEE_GenerateKey', 'TEE_GetNextPersistentObject', 'TEE_GetNextProperty', 'TEE_GetObjectBufferAttribute', 'TEE_GetObjectInfo1',
      'TEE_GetObjectValueAttribute', 'TEE_GetOperationInfoMultiple', 'TEE_GetPropertyAsBinaryBlock', 'TEE_GetPropertyAsBool',
      'TEE_GetPropertyAsIdentity', 'TEE_GetPropertyAsString', 'TEE_GetPropertyAsU32', 'TEE_GetPropertyAsU64', 'TEE_GetPropertyAsUUID',
      'TEE_GetPropertyName', 'TEE_GetTAPersistentTime', 'TEE_InvokeTACommand', 'TEE_MACCompareFinal', 'TEE_MACComputeFinal',
      'TEE_OpenPersistentObject', 'TEE_OpenTASession', 'TEE_PopulateTransientObject', 'TEE_ReadObjectData', 'TEE_RenamePersistentObject',
      'TEE_RestrictObjectUsage1', 'TEE_SeekObjectData', 'TEE_SetOperationKey', 'TEE_SetOperationKey2', 'TEE_SetTAPersistentTime',
      'TEE_StartPersistentObjectEnumerator', 'TEE_TruncateObjectData', 'TEE_Wait', 'TEE_WriteObjectData'],
    { failValues: ['TEE_ERROR_OUT_OF_MEMORY', 'TEE_ERROR_GENERIC', 'TEE_ERROR_BAD_PARAMETERS'] }),
  ...family('lib/libutee/include/tee_internal_api.h; GlobalPlatform TEE Internal Core API', 'void', 'value',
    'panics on error instead of returning it, or returns a plain value', ['TEE_Free', 'TEE_MemMove', 'TEE_MemFill', 'TEE_MemCompare', 'TEE_Panic',
      'TEE_CloseObject', 'TEE_FreeOperation', 'TEE_FreeTransientObject', 'TEE_ResetTransientObject', 'TEE_InitRefAttribute', 'TEE_InitValueAttribute',
      'TEE_GenerateRandom', 'TEE_DigestUpdate', 'TEE_MACInit', 'TEE_MACUpdate', 'TEE_CipherInit', 'TEE_CloseTASession', 'TEE_GetSystemTime',
      'TEE_GetREETime', 'TEE_GetInstanceData', 'TEE_SetInstanceData']),
  // clocks (the same names in Linux return a negative errno; OP-TEE's return a TEE_Result)
  ...family('core/include/drivers/clk.h; Linux include/linux/clk.h: a negative errno', 'TEE_Result', 'errno', 'returns a TEE_Result: TEE_SUCCESS, or an error code when the clock operation fails',
    ['clk_enable', 'clk_set_rate', 'clk_set_parent', 'clk_get_rates_array', 'clk_get_rates_steps', 'clk_get_duty_cycle'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_BAD_PARAMETERS'] }),
  ...family('core/include/drivers/clk.h', 'TEE_Result', 'errno', 'returns a TEE_Result: TEE_SUCCESS, or an error code when the clock cannot be registered',
    ['clk_register'], { failValues: ['TEE_ERROR_BAD_PARAMETERS', 'TEE_ERROR_OUT_OF_MEMORY'] }),
  ...family('core/include/drivers/clk_dt.h', 'TEE_Result', 'errno', 'returns a TEE_Result: TEE_ERROR_DEFER_DRIVER_INIT or another error code when the clock cannot be obtained',
    ['clk_dt_get_by_index', 'clk_dt_get_by_name', 'clk_dt_register_clk_provider'], { failValues: ['TEE_ERROR_ITEM_NOT_FOUND', 'TEE_ERROR_DEFER_DRIVER_INIT'] }),
  ...family('core/include/drivers/clk.h', 'struct clk *', 'null', 'returns NULL when the clock cannot be allocated', ['clk_alloc']),
  ...family('core/include/drivers/clk.h', 'struct clk *', 'null', 'returns NULL when there is no such parent', ['clk_get_parent', 'clk_get_parent_by_index']),
  ...family('core/include/drivers/clk.h; also include/linux/clk.h', 'unsigned long', 'value', 'returns the rate or state; reports nothing',
    ['clk_get_rate', 'clk_disable', 'clk_is_enabled', 'clk_get_name', 'clk_free']),
  ...family('include/linux/clk.h', 'void', 'value', 'reports nothing', ['clk_disable_unprepare', 'clk_unprepare', 'clk_put']),
  // crypto
  ...family('core/include/crypto/crypto.h', 'TEE_Result', 'errno', 'returns a TEE_Result: TEE_SUCCESS, or an error code when the cryptographic operation fails',
    ['crypto_init', 'crypto_hash_alloc_ctx', 'crypto_hash_init', 'crypto_hash_update', 'crypto_hash_final', 'crypto_cipher_alloc_ctx',
      'crypto_cipher_init', 'crypto_cipher_update', 'crypto_cipher_get_block_size', 'crypto_mac_alloc_ctx', 'crypto_mac_init', 'crypto_mac_update',
      'crypto_mac_final', 'crypto_authenc_alloc_ctx', 'crypto_authenc_init', 'crypto_authenc_update_aad', 'crypto_authenc_update_payload',
      'crypto_authenc_enc_final', 'crypto_authenc_dec_final', 'crypto_bignum_bin2bn',
      'crypto_acipher_alloc_rsa_keypair', 'crypto_acipher_alloc_rsa_public_key', 'crypto_acipher_alloc_dsa_keypair',
      'crypto_acipher_alloc_dsa_public_key', 'crypto_acipher_alloc_dh_keypair', 'crypto_acipher_alloc_ecc_public_key',
      'crypto_acipher_alloc_ecc_keypair', 'crypto_acipher_alloc_x25519_keypair', 'crypto_acipher_alloc_x448_keypair',
      'crypto_acipher_alloc_ed25519_keypair', 'crypto_acipher_alloc_ed25519_public_key', 'crypto_acipher_gen_rsa_key',
      'crypto_acipher_gen_dsa_key', 'crypto_acipher_gen_dh_key', 'crypto_acipher_gen_ecc_key', 'crypto_acipher_gen_x25519_key',
      'crypto_acipher_gen_x448_key', 'crypto_acipher_gen_ed25519_key', 'crypto_acipher_ed25519_sign', 'crypto_acipher_ed25519ctx_sign',
      'crypto_acipher_ed25519_verify', 'crypto_acipher_ed25519ctx_verify', 'crypto_acipher_dh_shared_secret', 'crypto_acipher_rsanopad_decrypt',
      'crypto_acipher_rsanopad_encrypt', 'crypto_acipher_rsaes_decrypt', 'crypto_acipher_rsaes_encrypt', 'crypto_acipher_rsassa_sign',
      'crypto_acipher_rsassa_verify', 'crypto_acipher_dsa_sign', 'crypto_acipher_dsa_verify', 'crypto_acipher_ecc_sign', 'crypto_acipher_ecc_verify',
      'crypto_acipher_verify_ecc_public_key', 'crypto_acipher_ecc_shared_secret', 'crypto_acipher_sm2_pke_decrypt', 'crypto_acipher_sm2_pke_encrypt',
      'crypto_acipher_x25519_shared_secret', 'crypto_acipher_x448_shared_secret', 'crypto_acipher_sm2_kep_derive', 'hash_sha256_check',
      'hash_sha512_256_compute', 'crypto_aes_expand_enc_key'], { failValues: TEE_FAIL }),
  ...family('core/include/crypto/crypto.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the object cannot be deleted (void before OP-TEE 6301ca1c1, 2022-09-24)',
    ['crypto_storage_obj_del'], { failValues: TEE_FAIL, since: '2022-09-24' }),
  ...family('core/include/rng_support.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the hardware produced no random bytes',
    ['hw_get_random_bytes'], { failValues: ['TEE_ERROR_GENERIC'] }),
  ...family('core/include/crypto/crypto.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when no random bytes could be produced (the buffer is then not random)',
    ['crypto_rng_read', 'crypto_rng_init'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_BAD_STATE'] }),
  ...family('core/include/crypto/crypto.h', 'struct bignum *', 'null', 'returns NULL when the bignum cannot be allocated', ['crypto_bignum_allocate']),
  ...family('core/include/crypto/crypto.h', 'void', 'value', 'reports nothing (or a size/ordering)',
    ['crypto_hash_free_ctx', 'crypto_hash_copy_state', 'crypto_cipher_final', 'crypto_cipher_free_ctx', 'crypto_cipher_copy_state', 'crypto_mac_free_ctx',
      'crypto_mac_copy_state', 'crypto_authenc_final', 'crypto_authenc_free_ctx', 'crypto_authenc_copy_state', 'crypto_bignum_num_bytes',
      'crypto_bignum_num_bits', 'crypto_bignum_bn2bin', 'crypto_bignum_copy', 'crypto_bignum_free', 'crypto_bignum_clear', 'crypto_bignum_compare',
      'crypto_acipher_free_rsa_public_key', 'crypto_acipher_free_rsa_keypair', 'crypto_acipher_free_ecc_public_key', 'crypto_rng_add_event',
      'crypto_aes_enc_block']),
  // time
  ...family('core/include/kernel/tee_time.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the time cannot be read or set (the output is then not written)',
    ['tee_time_get_sys_time', 'tee_time_get_ta_time', 'tee_time_get_ree_time', 'tee_time_set_ta_time'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_OVERFLOW'] }),
  ...family('core/include/kernel/tee_time.h', 'void', 'value', 'waits; reports nothing', ['tee_time_wait', 'tee_time_busy_wait', 'tee_time_get_sys_time_protection_level']),
  // tee_mm
  ...family('core/include/mm/tee_mm.h', 'bool', 'bool-success', 'returns false when the pool cannot be initialised', ['tee_mm_init']),
  ...family('core/include/mm/tee_mm.h', 'tee_mm_entry_t *', 'null', 'returns NULL when the pool has no room (or no entry covers the address)',
    ['tee_mm_alloc', 'tee_mm_alloc2', 'tee_mm_alloc_flags', 'tee_mm_find']),
  ...family('core/include/mm/tee_mm.h', 'void', 'value', 'reports nothing, a size or an answer',
    ['tee_mm_free', 'tee_mm_final', 'tee_mm_get_smem', 'tee_mm_get_bytes', 'tee_mm_get_size', 'tee_mm_get_offset', 'tee_mm_validate',
      'tee_mm_addr_is_within_range', 'tee_mm_is_empty']),
  // memory protection and MMU
  ...family('core/include/mm/core_memprot.h', 'void *', 'null', 'returns NULL when the physical range is not mapped with that type',
    ['phys_to_virt', 'phys_to_virt_io']),
  ...family('core/include/mm/core_memprot.h', 'paddr_t', 'zero-fail', 'returns 0 when the virtual address is not mapped', ['virt_to_phys', 'vaddr_to_phys']),
  ...family('core/include/mm/core_memprot.h', 'bool', 'value', 'answers a question about a buffer, not a failure',
    ['core_pbuf_is', 'core_vbuf_is', 'is_unpaged', 'is_nexus']),
  ...family('core/include/mm/core_memprot.h', 'vaddr_t', 'value', 'returns the mapped (or, MMU off, the physical) address; asserts it is mapped',
    ['io_pa_or_va', 'io_pa_or_va_secure', 'io_pa_or_va_nsec']),
  ...family('core/include/mm/core_mmu.h', 'bool', 'bool-success', 'returns false when no translation table was found or it cannot be split',
    ['core_mmu_find_table', 'core_mmu_entry_to_finer_grained', 'arch_va2pa_helper']),
  ...family('core/include/mm/core_mmu.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the mapping cannot be changed',
    ['core_mmu_map_pages', 'core_mmu_map_contiguous_pages'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_BAD_PARAMETERS'] }),
  // core/mm/core_mmu.c: `res = fn(mem_map->map + n, ptr); if (res) return res;` over every region, then TEE_SUCCESS.
  ...family('core/include/mm/core_mmu.h', 'TEE_Result', 'errno', 'returns the first failure of the callback it runs over each memory region, else TEE_SUCCESS',
    ['core_mmu_for_each_map'], { failValues: ['TEE_ERROR_GENERIC'], failsThrough: 'callback' }),
  ...family('core/include/mm/core_mmu.h', 'void *', 'null', 'returns NULL when the range cannot be mapped or found',
    ['core_mmu_add_mapping', 'core_mmu_find_mapping_exclusive', 'core_alloc_mmu_prtn']),
  // device tree (OP-TEE's helpers)
  ...family('core/include/kernel/dt.h', 'int', 'errno', 'returns 0 or a negative libfdt error (-1) when the property or node is missing or malformed',
    ['dt_getprop_as_number', 'dt_map_dev', 'dt_disable_status', 'dt_enable_secure_status', 'fdt_reg_info', 'fdt_read_uint32_array',
      'fdt_read_uint32_index', 'fdt_read_uint32', 'fdt_get_reg_props_by_index', 'fdt_get_reg_props_by_name', 'add_dt_path_subnode',
      'add_res_mem_dt_node', 'add_dt_node_overlay_fragment'], { failValues: FDT_FAIL }),
  ...family('core/include/kernel/dt.h', 'uint32_t', 'value', 'returns the value, or the default the caller gave', ['fdt_read_uint32_default', 'dt_have_prop', 'fdt_fill_device_info']),
  ...family('core/include/kernel/dt.h', 'void *', 'null', 'returns NULL when there is no such device tree', ['get_dt', 'get_secure_dt', 'get_embedded_dt', 'get_external_dt', 'get_manifest_dt', 'get_external_dt_desc']),
  ...family('core/include/kernel/dt_driver.h', 'TEE_Result', 'errno', 'returns a TEE_Result: TEE_ERROR_DEFER_DRIVER_INIT or another error code when the device cannot be obtained or probed',
    ['dt_driver_register_provider', 'dt_driver_device_from_node_idx_prop', 'dt_driver_device_from_parent', 'dt_driver_device_from_node_idx_prop_phandle',
      'dt_driver_probe_device_by_node', 'dt_driver_maybe_add_probe_node', 'dt_driver_get_crypto'], { failValues: ['TEE_ERROR_DEFER_DRIVER_INIT', 'TEE_ERROR_ITEM_NOT_FOUND'] }),
  ...family('core/include/kernel/dt_driver.h', 'int', 'errno', 'returns the cell count or a negative libfdt error', ['fdt_get_dt_driver_cells'], { failValues: FDT_FAIL }),
  ...family('core/include/kernel/interrupt.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the interrupt cannot be obtained or added',
    ['interrupt_alloc_add_handler', 'interrupt_add_handler', 'interrupt_dt_get_by_index', 'interrupt_dt_get_by_name', 'interrupt_create_handler'],
    { failValues: ['TEE_ERROR_OUT_OF_MEMORY', 'TEE_ERROR_GENERIC'] }),
  ...family('core/include/drivers/regulator.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the regulator cannot be obtained or changed',
    ['regulator_set_voltage', 'regulator_disable', 'regulator_dt_get_supply', 'regulator_register', 'regulator_set_min_voltage', 'regulator_supported_voltages'],
    { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_DEFER_DRIVER_INIT'] }),
  ...family('core/include/kernel/user_access.h', 'TEE_Result', 'errno', 'returns a TEE_Result: TEE_ERROR_ACCESS_DENIED (or another code) when the user memory cannot be accessed',
    ['copy_from_user_private', 'copy_to_user_private', 'copy_kaddr_to_uref', 'check_user_access', 'bb_memdup_user',
      'bb_memdup_user_private', 'bb_strndup_user'], { failValues: ['TEE_ERROR_ACCESS_DENIED', 'TEE_ERROR_OUT_OF_MEMORY'] }),
  ...family('core/include/kernel/user_access.h', 'void *', 'null', 'returns NULL when the bounce buffer cannot be allocated', ['bb_alloc']),
  ...family('core/include/mm/mobj.h', 'struct mobj *', 'null', 'returns NULL when the memory object cannot be allocated or found',
    ['mobj_phys_alloc', 'mobj_mapped_shm_alloc', 'mobj_shm_alloc', 'mobj_reg_shm_alloc', 'mobj_with_fobj_alloc', 'mobj_protmem_alloc',
      'mobj_reg_shm_get_by_cookie', 'mobj_ffa_get_by_cookie', 'mobj_get_va']),
  ...family('core/include/mm/mobj.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the memory object cannot answer or be mapped',
    ['mobj_get_pa', 'mobj_inc_map', 'mobj_get_mem_type', 'mobj_ffa_add_pages_at', 'mobj_ffa_unregister_by_cookie', 'mobj_reg_shm_release_by_cookie'],
    { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_BAD_PARAMETERS'] }),
  ...family('core/include/drivers/rstctrl.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the reset line cannot be obtained or released',
    ['rstctrl_get_exclusive', 'rstctrl_dt_get_by_name', 'rstctrl_dt_get_by_index', 'rstctrl_deassert', 'rstctrl_deassert_to', 'rstctrl_register_provider'],
    { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_DEFER_DRIVER_INIT'] }),
  ...family('core/include/drivers/pinctrl.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the pin state cannot be found or applied',
    ['pinctrl_apply_state', 'pinctrl_get_state_by_idx', 'pinctrl_get_state_by_name', 'pinctrl_parse_dt_pin_modes', 'pinctrl_register_provider'],
    { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_DEFER_DRIVER_INIT'] }),
  ...family('core/include/drivers/i2c.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the transfer fails',
    ['i2c_read', 'i2c_write', 'i2c_smbus_raw', 'i2c_smbus_read_byte_data', 'i2c_smbus_write_byte_data', 'i2c_bus_read_block_raw',
      'i2c_bus_write_block_raw', 'i2c_dt_get_dev', 'i2c_register_provider'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_BUSY'] }),
  ...family('core/include/kernel/huk_subkey.h, core/include/kernel/tee_common_otp.h', 'TEE_Result', 'errno',
    'returns a TEE_Result: an error code when the key cannot be read or derived (the output is then not a key)',
    ['huk_subkey_derive', 'tee_otp_get_ta_enc_key'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_SECURITY'] }),
  ...family('core/include/kernel/tee_common_otp.h', 'TEE_Result', 'errno',
    'returns a TEE_Result: an error code when the key cannot be read (the output is then not a key; void before OP-TEE daaf4f11c, 2018-10-12)',
    ['tee_otp_get_hw_unique_key'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_SECURITY'], since: '2018-10-12' }),
  ...family('core/include/kernel/notif.h', 'TEE_Result', 'errno', 'returns a TEE_Result: an error code when the notification cannot be allocated, sent or waited for',
    ['notif_alloc_async_value', 'notif_wait', 'notif_wait_timeout', 'notif_send_sync'], { failValues: ['TEE_ERROR_GENERIC', 'TEE_ERROR_TIMEOUT'] }),
];

// ---- libfdt (bundled by Xen and OP-TEE) ----
const LIBFDT: ApiFact[] = [
  ...family('libfdt.h: xen/include/xen/libfdt/libfdt.h, core/lib/libfdt/include/libfdt.h', 'int', 'errno',
    'returns a node offset (>= 0) or a negative FDT_ERR_* code (-FDT_ERR_NOTFOUND when there is no such node)',
    ['fdt_path_offset', 'fdt_subnode_offset', 'fdt_node_offset_by_compatible', 'fdt_node_offset_by_phandle', 'fdt_parent_offset',
      'fdt_first_subnode', 'fdt_next_subnode', 'fdt_add_subnode', 'fdt_next_node', 'fdt_first_property_offset', 'fdt_next_property_offset'],
    { failValues: FDT_FAIL }),
  ...family('libfdt.h', 'int', 'errno', 'returns 0 or a negative FDT_ERR_* code (-FDT_ERR_NOSPACE when the blob is full)',
    ['fdt_setprop', 'fdt_setprop_u32', 'fdt_setprop_u64', 'fdt_setprop_cell', 'fdt_setprop_string', 'fdt_appendprop', 'fdt_appendprop_u32',
      'fdt_appendprop_u64', 'fdt_appendprop_cell', 'fdt_delprop', 'fdt_del_node', 'fdt_setprop_inplace', 'fdt_nop_node', 'fdt_open_into',
      'fdt_pack', 'fdt_check_header', 'fdt_check_full', 'fdt_create', 'fdt_finish', 'fdt_begin_node', 'fdt_end_node', 'fdt_property',
      'fdt_property_u32', 'fdt_property_cell', 'fdt_property_string', 'fdt_finish_reservemap', 'fdt_add_mem_rsv', 'fdt_overlay_apply',
      'fdt_node_check_compatible', 'fdt_stringlist_count', 'fdt_stringlist_search'], { failValues: FDT_FAIL }),
  ...family('libfdt.h', 'const void *', 'null', 'returns NULL when the node has no such property (the length output holds the FDT_ERR_* code)',
    ['fdt_getprop', 'fdt_getprop_namelen', 'fdt_getprop_by_offset', 'fdt_get_property', 'fdt_getprop_w', 'fdt_get_alias', 'fdt_stringlist_get']),
  ...family('libfdt.h', 'const char *', 'value', 'returns NULL only for an offset that is not a node (the caller\'s own error); for offsets from the iterators it is the name',
    ['fdt_get_name', 'fdt_offset_ptr']),
  ...family('libfdt.h', 'uint32_t', 'value', 'returns a header field or phandle (0 when there is none), not a failure report',
    ['fdt_get_phandle', 'fdt_totalsize', 'fdt_magic', 'fdt_version']),
  ...family('libfdt.h (libfdt 1.6.1; Xen ad9cf6bde5, 2021-11-11; OP-TEE since libfdt 1.5.1, 2020-01-29)', 'int', 'errno',
    'returns the number of reserve-map entries, or -FDT_ERR_TRUNCATED when the map runs past the blob (before libfdt 1.6.1 it could not fail)',
    ['fdt_num_mem_rsv'], { failValues: ['-FDT_ERR_TRUNCATED'], since: '2021-11-11' }),
];

export const builtinApis: readonly ApiFact[] = [...C_LIBRARY, ...LINUX, ...XEN, ...OPTEE, ...LIBFDT];

/** The curated header data, then what the projects' own code shows (mined.ts) for the names it does not have. */
export const builtinKnowledge = (): Knowledge => stackKnowledge([factsKnowledge(builtinApis, {}), minedKnowledge()]);

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
    const failValues = defaultFailValues(convention);
    facts.push({ name: f.name, convention, ...(failValues && convention !== 'err-ptr' ? { failValues } : {}), source: `project config${f.note ? `: ${f.note}` : ''}` });
  }
  for (const name of apis.infallible ?? []) facts.push({ name, convention: 'value', source: 'project config: listed as infallible' });
  return factsKnowledge(facts, {});
}

// Xen hypervisor macros (xen/include/xen/*.h and arch headers), in the spelling Xen uses.
import type { MacroTable } from './table.ts';

export const xen: MacroTable = {
  annotations: [
    '__hwdom_init', '__hwdom_initdata', 'cf_check', '__nocall', '__init_or_livepatch',
    '__initconst_cf_clobber',
  ],
  annotationCalls: ['__used_section'],
  iterators: [
    'page_list_for_each', 'page_list_for_each_safe', 'page_list_for_each_safe_reverse',
    'for_each_vcpu', 'for_each_domain', 'for_each_domain_in_cpupool', 'for_each_pdev',
    'for_each_drhd_unit', 'for_each_rmrr_device', 'for_each_atsr_unit', 'for_each_rhsa_unit',
    'for_each_node_mask', 'for_each_online_node', 'for_each_cpu', 'for_each_online_cpu',
    'for_each_present_cpu', 'for_each_possible_cpu', 'for_each_set_bit', 'for_each_amd_iommu',
    'for_each_sched_unit', 'for_each_sched_unit_vcpu', 'for_each_cpupool',
    'radix_tree_for_each_slot', 'rcu_list_for_each', 'list_for_each_entry_rcu',
  ],
  typeArguments: {
    xmalloc: [0], xzalloc: [0], xmalloc_array: [0], xzalloc_array: [0], xrealloc_array: [1],
    xmalloc_flex_struct: [0], xzalloc_flex_struct: [0], xvmalloc: [0], xvzalloc: [0],
    xvmalloc_array: [0], xvzalloc_array: [0], xvmalloc_flex_struct: [0], xvzalloc_flex_struct: [0],
    list_entry: [1], list_first_entry: [1], list_last_entry: [1], list_first_entry_or_null: [1],
    hlist_entry: [1], rb_entry: [1], guest_handle_cast: [1], guest_handle_from_ptr: [1],
    DEFINE_PER_CPU: [0], DECLARE_PER_CPU: [0], DEFINE_PER_CPU_READ_MOSTLY: [0],
  },
  stringMacros: [
    'XENLOG_ERR', 'XENLOG_WARNING', 'XENLOG_INFO', 'XENLOG_DEBUG', 'XENLOG_G_ERR', 'XENLOG_G_WARNING',
    'XENLOG_G_INFO', 'XENLOG_G_DEBUG', 'XENLOG_GUEST', 'VTDPREFIX', 'PRI_mfn', 'PRI_gfn', 'PRI_pfn',
    'PRIpaddr', 'PRI_xen_pfn', 'PRI_stime', 'PRIpte', 'IOMMU_PREFIX',
  ],
  declarationMacros: [
    'custom_param', 'boolean_param', 'integer_param', 'size_param', 'string_param', 'custom_runtime_param',
    'boolean_runtime_param', 'integer_runtime_param', 'string_runtime_param', 'integer_runtime_only_param',
    '__initcall', 'presmp_initcall', 'DEFINE_PER_CPU', 'DECLARE_PER_CPU', 'DEFINE_PER_CPU_READ_MOSTLY',
    'DEFINE_SPINLOCK', 'DEFINE_RWLOCK', 'DEFINE_PERCPU_RWLOCK_GLOBAL', 'LIST_HEAD', 'PAGE_LIST_HEAD',
    'DECLARE_BITMAP', 'DECLARE_SOFTIRQ_TASKLET', 'DECLARE_TASKLET', 'DEFINE_XEN_GUEST_HANDLE',
    'DEFINE_RCU_READ_LOCK', 'DECLARE_HYPERCALL', 'REGISTER_VPCI_INIT', 'ACPI_MODULE_NAME',
  ],
};

// Linux kernel macros (include/linux/*.h), in the spelling the kernel uses.
import type { MacroTable } from './table.ts';

export const linux: MacroTable = {
  annotations: [
    '__sched', '__latent_entropy', '__nocfi', 'asmlinkage', '__devinit', '__devexit', '__cpuinit',
    '__meminit', '__ref', '__refdata', '__initdata_or_module', '__init_or_module', '__kprobes',
    '__noinstr', 'noinstr', '__counted_by_ptr', '__randomize_layout', '__no_randomize_layout',
    '__nostackprotector', '__noclone', '__no_sanitize_address', '__mmzero', '__lockfunc',
  ],
  annotationCalls: ['__counted_by', '__guarded_by', '__pt_guarded_by', '__must_be_array'],
  iterators: [
    'list_for_each', 'list_for_each_safe', 'list_for_each_entry', 'list_for_each_entry_safe',
    'list_for_each_entry_reverse', 'list_for_each_entry_continue', 'list_for_each_entry_from',
    'hlist_for_each', 'hlist_for_each_entry', 'hlist_for_each_entry_safe', 'hlist_for_each_entry_rcu',
    'for_each_cpu', 'for_each_online_cpu', 'for_each_possible_cpu', 'for_each_node', 'for_each_set_bit',
    'for_each_sg', 'for_each_child_of_node', 'for_each_available_child_of_node', 'idr_for_each_entry',
    'xa_for_each', 'rbtree_postorder_for_each_entry_safe', 'bio_for_each_segment', 'nla_for_each_nested',
  ],
  typeArguments: {
    list_entry: [1], list_first_entry: [1], list_last_entry: [1], list_first_entry_or_null: [1],
    list_entry_rcu: [1], hlist_entry: [1], hlist_entry_safe: [1], rb_entry: [1], rb_entry_safe: [1],
    sizeof_field: [0], FIELD_SIZEOF: [0], DEFINE_PER_CPU: [0], DECLARE_PER_CPU: [0],
  },
  stringMacros: ['KERN_EMERG', 'KERN_ALERT', 'KERN_CRIT', 'KERN_ERR', 'KERN_WARNING', 'KERN_NOTICE',
    'KERN_INFO', 'KERN_DEBUG', 'KERN_DEFAULT', 'KERN_CONT', 'pr_fmt', 'DRV_NAME', 'PFX'],
  declarationMacros: [
    'EXPORT_SYMBOL', 'EXPORT_SYMBOL_GPL', 'EXPORT_SYMBOL_NS', 'EXPORT_SYMBOL_NS_GPL', 'module_init',
    'module_exit', 'module_param', 'module_param_named', 'MODULE_LICENSE', 'MODULE_AUTHOR',
    'MODULE_DESCRIPTION', 'MODULE_DEVICE_TABLE', 'MODULE_ALIAS', 'core_initcall', 'subsys_initcall',
    'fs_initcall', 'device_initcall', 'late_initcall', 'arch_initcall', 'early_initcall', '__setup',
    'early_param', 'DEFINE_PER_CPU', 'DECLARE_PER_CPU', 'DEFINE_SPINLOCK', 'DEFINE_RWLOCK',
    'DEFINE_MUTEX', 'LIST_HEAD', 'HLIST_HEAD', 'DECLARE_BITMAP', 'DECLARE_WAIT_QUEUE_HEAD',
    'DEFINE_IDR', 'DEFINE_IDA', 'DEFINE_XARRAY', 'DEFINE_STATIC_KEY_FALSE', 'DEFINE_STATIC_KEY_TRUE',
    'module_platform_driver', 'module_pci_driver', 'module_i2c_driver', 'module_usb_driver',
    'DECLARE_WORK', 'DECLARE_DELAYED_WORK', 'DEFINE_RATELIMIT_STATE',
  ],
};

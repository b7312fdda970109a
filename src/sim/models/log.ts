// Logging: an observable effect of kind 'log'. Printing a warning is not handling an error.
import type { CallModel } from './model.ts';

export const logModels: CallModel[] = [
  {
    family: 'log',
    names: [
      'printk', 'dprintk', 'gdprintk', 'gprintk', 'printf', 'fprintf', 'puts',
      'pr_err', 'pr_warn', 'pr_warning', 'pr_info', 'pr_debug', 'pr_notice', 'pr_crit', 'pr_alert', 'pr_emerg',
      'dev_err', 'dev_warn', 'dev_info', 'dev_dbg', 'dev_notice', 'netdev_err', 'netdev_warn',
      'printk_once', 'pr_err_once', 'pr_warn_once', 'dev_err_ratelimited', 'pr_err_ratelimited',
      'AMD_IOMMU_DEBUG', 'IOMMU_DEBUG', 'XENLOG_ERR',
    ],
    behaviour: { kind: 'log' },
  },
];

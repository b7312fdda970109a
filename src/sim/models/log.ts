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
      // OP-TEE lib/libutils/ext/include/trace.h: trace_printf_helper() at TRACE_ERROR/INFO/DEBUG/FLOW.
      'EMSG', 'EMSG_RAW', 'IMSG', 'IMSG_RAW', 'DMSG', 'DMSG_RAW', 'FMSG', 'FMSG_RAW',
      // Trusted Firmware-A include/common/debug.h: tf_log() at LOG_MARKER_ERROR/NOTICE/INFO/VERBOSE (its WARN(...)
      // prints too, but Xen's WARN() is modelled as warn-if and keeps that model).
      'ERROR', 'NOTICE', 'INFO', 'VERBOSE',
      // U-Boot include/log.h: log() at LOGL_ERR/WARNING/NOTICE/INFO/DEBUG.
      'log_err', 'log_warning', 'log_notice', 'log_info', 'log_debug',
    ],
    behaviour: { kind: 'log' },
  },
];

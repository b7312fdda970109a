// Locking and RCU: ordinary effects (their order is observable), no interesting result.
import type { CallModel } from './model.ts';

const lockNames = ['spin_lock', 'spin_unlock', 'spin_lock_irq', 'spin_unlock_irq', 'spin_lock_irqsave',
  'spin_unlock_irqrestore', 'spin_lock_bh', 'spin_unlock_bh', 'read_lock', 'read_unlock', 'write_lock',
  'write_unlock', 'rcu_read_lock', 'rcu_read_unlock', 'mutex_lock', 'mutex_unlock', 'pcidevs_lock',
  'pcidevs_unlock', 'local_irq_save', 'local_irq_restore', 'local_irq_disable', 'local_irq_enable',
  'rcu_lock_domain', 'rcu_unlock_domain', 'spin_lock_recursive', 'spin_unlock_recursive'];

export const lockModels: CallModel[] = [{ family: 'locks', names: lockNames, behaviour: { kind: 'effect' } }];

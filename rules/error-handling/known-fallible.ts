// APIs whose failure is part of their contract, so a dropped result is a dropped error even when the
// patch does not show their declaration. Keep it to functions that return a negative errno (or NULL).
import type { KnownFallible } from '../../src/review/fallibility.ts';

export const knownFallible: KnownFallible[] = [
  // Xen
  { name: 'iommu_map_page', note: 'returns a negative errno when the mapping fails (xen/include/xen/iommu.h)' },
  { name: 'iommu_unmap_page', note: 'returns a negative errno when the unmapping fails (xen/include/xen/iommu.h)' },
  { name: 'guest_physmap_add_page', note: 'returns a negative errno (xen/include/asm-x86/p2m.h)' },
  { name: 'xsm_default_action', note: 'returns a negative errno when the action is denied' },
  // Linux
  { name: 'request_irq', note: 'returns a negative errno when the interrupt cannot be claimed' },
  { name: 'copy_from_user', note: 'returns the number of bytes not copied' },
  { name: 'copy_to_user', note: 'returns the number of bytes not copied' },
  { name: 'device_register', note: 'returns a negative errno' },
  { name: 'platform_driver_register', note: 'returns a negative errno' },
  { name: 'pci_enable_device', note: 'returns a negative errno' },
  { name: 'clk_prepare_enable', note: 'returns a negative errno' },
  { name: 'regulator_enable', note: 'returns a negative errno (declared __must_check)' },
  { name: 'mutex_lock_interruptible', note: 'returns -EINTR when interrupted' },
];

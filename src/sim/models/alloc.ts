// Allocation: the result is a pointer that may be NULL.
import type { CallModel } from './model.ts';

export const allocModels: CallModel[] = [
  {
    family: 'alloc',
    names: ['xzalloc', 'xmalloc', 'xzalloc_array', 'xmalloc_array', 'xzalloc_bytes', 'xmalloc_bytes', '_xmalloc',
      '_xzalloc', 'kmalloc', 'kzalloc', 'kcalloc', 'kmalloc_array', 'vmalloc', 'vzalloc', 'malloc', 'calloc',
      'realloc', 'alloc_domheap_page', 'alloc_domheap_pages', 'alloc_xenheap_page', 'alloc_xenheap_pages',
      'devm_kzalloc', 'devm_kmalloc', 'kstrdup', 'strdup'],
    behaviour: { kind: 'alloc' },
  },
];

// The review thread the first packs were distilled from.
export const SEED_THREAD = {
  list: 'xen-devel',
  thread: 'Re: [Xen-devel] [PATCH v4 1/3] VT-d: Check VT-d Device-TLB flush error.',
  date: '2015-12-23',
  reviewer: 'Kevin Tian',
} as const;

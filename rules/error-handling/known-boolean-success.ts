// APIs that return non-zero (true) on success and 0 on failure: testing them like an errno
// (`if ( f() ) goto fail;`) takes the error path exactly when the call worked.
export interface BooleanSuccessApi {
  name: string;
  note: string;
}

export const knownBooleanSuccess: BooleanSuccessApi[] = [
  // Xen
  { name: 'get_page', note: 'returns 1 when the reference was taken, 0 when it was not (xen/include/asm-x86/mm.h)' },
  { name: 'get_page_type', note: 'returns 1 when the type reference was taken, 0 when it was not (xen/arch/x86/mm.c)' },
  { name: 'get_page_and_type', note: 'returns 1 when both references were taken, 0 when not (xen/include/asm-x86/mm.h)' },
  // Linux
  { name: 'try_module_get', note: 'returns true when the module reference was taken' },
  { name: 'mutex_trylock', note: 'returns 1 when the mutex was acquired, 0 on contention' },
  { name: 'spin_trylock', note: 'returns 1 when the lock was acquired, 0 on contention' },
  { name: 'kref_get_unless_zero', note: 'returns non-zero when the reference was taken' },
  { name: 'refcount_inc_not_zero', note: 'returns true when the count was incremented' },
];

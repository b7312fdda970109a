// errno conventions: each named constant is a distinct positive number, so `-EINVAL` is a distinct
// negative value. Numbers follow Linux/Xen so rendered witnesses read naturally.
export const ERRNO: Readonly<Record<string, number>> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9,
  ECHILD: 10, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, EXDEV: 18,
  ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25, EFBIG: 27,
  ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34, EDEADLK: 35,
  ENAMETOOLONG: 36, ENOLCK: 37, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENODATA: 61, ETIME: 62,
  EOVERFLOW: 75, EILSEQ: 84, ERESTART: 85, EOPNOTSUPP: 95, ENOTSUPP: 524, EADDRINUSE: 98,
  ENOBUFS: 105, EISCONN: 106, ETIMEDOUT: 110, ECONNREFUSED: 111, EALREADY: 114, EINPROGRESS: 115,
  ECANCELED: 125, ERESTARTSYS: 512, EPROBE_DEFER: 517,
};

const BY_NUMBER = new Map<number, string>(Object.entries(ERRNO).map(([k, v]) => [v, k]));

export function errnoValue(name: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(ERRNO, name) ? ERRNO[name] : undefined;
}

/**
 * `-5` -> `-EIO`; undefined when the number is not a negated errno constant. -1 is left as it is: code writes a bare
 * `-1` far more often than `-EPERM`, and a value the code named keeps its name on the value itself.
 */
export function errnoName(n: number): string | undefined {
  if (n >= -1) return undefined;
  const name = BY_NUMBER.get(-n);
  return name ? `-${name}` : undefined;
}

/** The failure value a witness shows for an unconstrained negative result. */
export const WITNESS_FAILURE = -ERRNO.EIO!;

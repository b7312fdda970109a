// A persistent cons list: forking a path shares its history instead of copying it.
export type List<T> = { readonly head: T; readonly tail: List<T>; readonly size: number } | null;

export const push = <T>(l: List<T>, x: T): List<T> => ({ head: x, tail: l, size: (l?.size ?? 0) + 1 });

export function toArray<T>(l: List<T>): T[] {
  const out: T[] = [];
  for (let c = l; c; c = c.tail) out.push(c.head);
  return out.reverse();
}

export const size = <T>(l: List<T>): number => l?.size ?? 0;

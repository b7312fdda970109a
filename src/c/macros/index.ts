// The macro table for a dialect: the common table plus the project's own.
import type { Dialect } from '../types.ts';
import { common } from './common.ts';
import { linux } from './linux.ts';
import { indexTable, mergeTables, type MacroIndex } from './table.ts';
import { xen } from './xen.ts';

const byDialect: Record<Dialect, MacroIndex> = {
  xen: indexTable(mergeTables(common, xen)),
  linux: indexTable(mergeTables(common, linux)),
  // Unknown projects get both: a Xen name in a Linux-style tree costs nothing.
  generic: indexTable(mergeTables(common, xen, linux)),
};

export function macrosFor(dialect: Dialect): MacroIndex {
  return byDialect[dialect];
}

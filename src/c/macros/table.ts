// The shape of a macro table. Tables are data: adding a project's macro is one line in
// common.ts, xen.ts or linux.ts, never new code.

export interface MacroTable {
  /** Bare words that annotate a declaration (section, sparse, inlining) and expand to nothing useful. */
  annotations: readonly string[];
  /** Annotations that take arguments, blanked with them: `__acquires(lock)`, `__printf(1, 2)`. */
  annotationCalls: readonly string[];
  /** Loop macros used as `NAME(args) statement`; names containing `for_each` need no entry. */
  iterators: readonly string[];
  /** Macros with type arguments, and which (0-based) arguments are types. */
  typeArguments: Readonly<Record<string, readonly number[]>>;
  /** Identifiers that expand to string literals and sit next to them: `KERN_ERR "..."`. */
  stringMacros: readonly string[];
  /** File-scope declaration macros, blanked whole with their `;` and any storage class before them. */
  declarationMacros: readonly string[];
}

export function mergeTables(...tables: readonly MacroTable[]): MacroTable {
  const typeArguments: Record<string, readonly number[]> = {};
  for (const t of tables) Object.assign(typeArguments, t.typeArguments);
  const all = (pick: (t: MacroTable) => readonly string[]): string[] => tables.flatMap(pick);
  return {
    annotations: all((t) => t.annotations),
    annotationCalls: all((t) => t.annotationCalls),
    iterators: all((t) => t.iterators),
    typeArguments,
    stringMacros: all((t) => t.stringMacros),
    declarationMacros: all((t) => t.declarationMacros),
  };
}

/** A table compiled for lookups. */
export interface MacroIndex {
  annotations: ReadonlySet<string>;
  annotationCalls: ReadonlySet<string>;
  iterators: ReadonlySet<string>;
  typeArguments: ReadonlyMap<string, readonly number[]>;
  stringMacros: ReadonlySet<string>;
  declarationMacros: ReadonlySet<string>;
}

export function indexTable(table: MacroTable): MacroIndex {
  return {
    annotations: new Set(table.annotations),
    annotationCalls: new Set(table.annotationCalls),
    iterators: new Set(table.iterators),
    typeArguments: new Map(Object.entries(table.typeArguments)),
    stringMacros: new Set(table.stringMacros),
    declarationMacros: new Set(table.declarationMacros),
  };
}

// What the config rules know about configuration APIs and where a project keeps its defaults: API knowledge as
// data, with where each entry comes from. Rules read it through listReader() and defaultsFunctionFor(); none
// names such a function itself.

/**
 * Calls that read a configuration key as a list, handing it back through an out-parameter, and the accessor
 * that reads one item of such a list by index.
 */
export interface ListReader {
  /** The call that reads the key as a list; returns 0 when the key is there and is a list. */
  reader: string;
  /** 0-based argument positions: the key's name, the list's out-parameter, the item count's out-parameter. */
  keyArg: number;
  listArg: number;
  countArg: number;
  /** The accessor of one item, and its argument positions (the list, the index). */
  accessor: string;
  accessorListArg: number;
  accessorIndexArg: number;
  source: string;
}

export const LIST_READERS: readonly ListReader[] = [
  {
    reader: 'xlu_cfg_get_list',
    keyArg: 1,
    listArg: 2,
    countArg: 3,
    accessor: 'xlu_cfg_get_listitem',
    accessorListArg: 0,
    accessorIndexArg: 1,
    source:
      'Xen libxlutil (tools/libxl/libxlutil.h to 4.13, tools/include/libxlutil.h since): int xlu_cfg_get_list(const XLU_Config*, ' +
      'const char *n, XLU_ConfigList **list_r /* may be 0 */, int *entries_r /* may be 0 */, int dont_warn), 0 on success; ' +
      'const char *xlu_cfg_get_listitem(const XLU_ConfigList*, int entry), NULL past the end',
  },
];

export const listReader = (callee: string): ListReader | undefined => LIST_READERS.find((r) => r.reader === callee);

/**
 * How projects name the function that fills in a type's defaults: `<prefix><type stem><suffix>`, the stem being
 * the type's name without its library prefix (`libxl_domain_build_info` -> `domain_build_info`).
 */
export const DEFAULTS_SUFFIXES: readonly { suffix: RegExp; source: string }[] = [
  { suffix: /_setdefaults?$/, source: 'Xen libxl: libxl__<type>_setdefault(gc, <type> *) (tools/libxl/libxl_create.c, libxl_internal.h)' },
  { suffix: /_set_?defaults?$/, source: 'common C naming (foo_set_defaults)' },
  { suffix: /_(init_)?defaults$/, source: 'common C naming (foo_defaults, foo_init_defaults; a singular foo_default is as often a getter of one value)' },
];

export const isDefaultsFunctionName = (name: string): boolean => DEFAULTS_SUFFIXES.some((s) => s.suffix.test(name));

/**
 * A project's defaults functions and the type each fills in, for reviews that see neither the function nor a tree:
 * a maintainer knows them. `names`: what the project calls objects of that type wherever it declares one with
 * that name (every declaration of the name in the project's code at `from` has this type), so a fragment that
 * does not show the declaration can still say which type an object has, as an assumption it states.
 */
export interface DefaultsFunction {
  project: string;
  /** Where the project's code that uses these functions lives (a patch path prefix). */
  root: string;
  type: string;
  function: string;
  file: string;
  names: readonly string[];
  source: string;
}

export const DEFAULTS_FUNCTIONS: readonly DefaultsFunction[] = [
  {
    project: 'xen',
    root: 'tools/',
    type: 'libxl_domain_build_info',
    function: 'libxl__domain_build_info_setdefault',
    file: 'tools/libxl/libxl_create.c',
    names: ['b_info'],
    source:
      'Xen RELEASE-4.6.0 tools/libxl/libxl_create.c: int libxl__domain_build_info_setdefault(libxl__gc *gc, ' +
      'libxl_domain_build_info *b_info) (also at c447b7308b13, tools/libs/light/libxl_create.c); `b_info` is declared ' +
      'only as libxl_domain_build_info * in tools/ (30 of 30 pointer declarations at RELEASE-4.6.0, 42 of 42 at c447b7308b13)',
  },
  {
    project: 'xen',
    root: 'tools/',
    type: 'libxl_domain_create_info',
    function: 'libxl__domain_create_info_setdefault',
    file: 'tools/libxl/libxl_create.c',
    names: ['c_info'],
    source:
      'Xen RELEASE-4.6.0 tools/libxl/libxl_create.c: int libxl__domain_create_info_setdefault(libxl__gc *gc, ' +
      'libxl_domain_create_info *c_info); `c_info` is declared only as libxl_domain_create_info * in tools/ (7 of 7 pointer declarations at RELEASE-4.6.0, 11 of 11 at c447b7308b13)',
  },
];

/** The type stem a defaults function's name is built on: the type without `struct` and its library prefix. */
export function typeStems(type: string): string[] {
  const t = type.replace(/^\s*(const\s+)?(struct\s+)?/, '').replace(/[\s*]+$/, '').replace(/_t$/, '');
  const stems = [t];
  const prefix = /^[a-z0-9]+_+(.+)$/.exec(t);
  if (prefix && prefix[1]!.includes('_')) stems.push(prefix[1]!);
  return stems;
}

/**
 * The names a defaults function of `type` would have under DEFAULTS_SUFFIXES, with and without the type's library
 * prefix (`libxl_domain_build_info` -> `libxl_domain_build_info_setdefault`, `libxl__domain_build_info_setdefault`,
 * `domain_build_info_set_defaults`, ...): what a tree's declarations are asked for.
 */
export function defaultsNameCandidates(type: string): string[] {
  const [full, stem] = typeStems(type);
  const lib = stem ? full!.slice(0, full!.length - stem.length).replace(/_+$/, '') : undefined;
  const bases = [full!, ...(stem && lib ? [stem, `${lib}__${stem}`] : [])];
  return bases.flatMap((b) => ['_setdefault', '_set_defaults', '_defaults'].map((suffix) => `${b}${suffix}`));
}

/** Whether `name` is a defaults function of `type` by its name (`libxl__domain_build_info_setdefault`). */
export function namesDefaultsOf(name: string, type: string): boolean {
  const base = DEFAULTS_SUFFIXES.map((s) => name.replace(s.suffix, '')).find((b) => b !== name);
  return base !== undefined && typeStems(type).some((stem) => base === stem || base.endsWith(`_${stem}`));
}

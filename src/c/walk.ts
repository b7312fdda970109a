// One walk over a checkout's source files, shared by the declarations index and the knowledge base.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkOptions {
  /** Which file names to collect. */
  accept: (name: string) => boolean;
  /** Directory names not entered (hidden directories are never entered). */
  skipDirs: ReadonlySet<string>;
  /** Stop after this many files (hostile or huge trees). */
  maxFiles: number;
}

/** Files under `root` whose names `accept` takes, sorted; unreadable directories are skipped. */
export function walkFiles(root: string, options: WalkOptions): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0 && out.length < options.maxFiles) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || options.skipDirs.has(e.name)) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && options.accept(e.name)) out.push(full);
    }
  }
  return out.sort();
}

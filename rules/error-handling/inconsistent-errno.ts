import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import type { CModel, FunctionImage } from '../../src/c/types.ts';
import { conditionOf, descendants, errnoReturned, fold, squash } from '../../src/review/ast.ts';
import { SEED_THREAD } from './source.ts';


interface Precedent {
  errno: string;
  where: string;
}

interface Site {
  ifId: number;
  image: FunctionImage;
  precedent: Precedent;
}

/** Every existing `if ( C ) ... return -E...;` the patch shows (context lines), by condition; built once per patch. */
const indexes = new WeakMap<CModel, Map<string, Site[]>>();
function conditionIndex(model: CModel): Map<string, Site[]> {
  let index = indexes.get(model);
  if (index) return index;
  index = new Map();
  for (const file of model.files) {
    for (const fn of file.functions) {
      const image = fn.post;
      if (!image) continue;
      const added = new Set(fn.addedLines);
      for (const ifs of descendants(image.node, 'if_statement')) {
        const c = conditionOf(ifs);
        if (!c) continue;
        for (const ret of descendants(ifs.childForFieldName('consequence') ?? ifs, 'return_statement')) {
          const errno = errnoReturned(ret);
          // The habit to be consistent with is the existing code's, not another line of this patch.
          if (!errno || added.has(image.lineMap[ret.startPosition.row] ?? 0)) continue;
          const key = squash(c.text);
          const site = { ifId: ifs.id, image, precedent: { errno: `-${errno}`, where: `${file.path}:${image.lineMap[ret.startPosition.row]} in ${image.name}()` } };
          index.set(key, [...(index.get(key) ?? []), site]);
        }
      }
    }
  }
  indexes.set(model, index);
  return index;
}

/** Other places that test the same condition and return an errno: the patch's other images, and the tree's file. */
function precedents(cond: string, own: SyntaxNode, ctx: FunctionContext): Precedent[] {
  const key = squash(cond);
  const out = (conditionIndex(ctx.model).get(key) ?? [])
    .filter((s) => !(s.ifId === own.id && s.image === ctx.post))
    .map((s) => s.precedent);
  // In tree mode the whole file as it was shows the project's habit for the same condition.
  const text = ctx.treeText();
  if (text !== undefined) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (!squash(line).includes(`if(${key})`)) return;
      for (const next of lines.slice(i + 1, i + 5)) {
        const m = /return\s*-\s*(E[A-Z0-9]+)\s*;|=\s*-\s*(E[A-Z0-9]+)\s*;/.exec(next);
        if (m) {
          out.push({ errno: `-${m[1] ?? m[2]}`, where: `${ctx.file.path}:${i + 1} (before the patch)` });
          break;
        }
      }
    });
  }
  return out;
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'inconsistent-errno',
    pack: 'error-handling',
    family: 'inconsistent-errno',
    severity: 'info',
    summary: 'An error code differs from the one used elsewhere for the same condition.',
    source: { ...SEED_THREAD, quote: 'stay consistent to other places which use -ENOMEM.' },
    messages: {
      inconsistent:
        'Here `{{condition}}` returns {{errno}}, but {{other}} for the same condition at {{where}}. Use one errno for one condition, so callers can rely on it.',
    },
    fixable: false,
    limitations: 'Compares conditions by their text; in fragment mode only the patch is searched, in tree mode also the file before the patch.',
  },
  detect(ctx) {
    const out = [];
    for (const ret of descendants(ctx.post.node, 'return_statement')) {
      if (!ctx.isAdded(ret)) continue;
      const name = errnoReturned(ret);
      if (!name) continue;
      let ifs: SyntaxNode | null = ret.parent;
      while (ifs && ifs.type !== 'if_statement' && ifs.type !== 'function_definition') ifs = ifs.parent;
      const cond = ifs?.type === 'if_statement' ? conditionOf(ifs) : null;
      if (!ifs || !cond || ctx.lineOf(cond) === 0) continue;
      const errno = `-${name}`;
      const other = precedents(cond.text, ifs, ctx).find((p) => p.errno !== errno);
      if (other) out.push({ node: ret, data: { condition: fold(cond.text), errno, other: other.errno, where: other.where } });
    }
    return out;
  },
  check(candidate) {
    return {
      messageId: 'inconsistent',
      data: {
        condition: candidate.data.condition as string,
        errno: candidate.data.errno as string,
        other: `${candidate.data.other as string} is returned`,
        where: candidate.data.where as string,
      },
      // The finding is about the code's consistency; the simulation shows the exit can be taken at all.
      question: { kind: 'exit-reachable', exit: candidate.node },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the same missing-table condition returns two different errnos',
        patch: `--- a/xen/drivers/pt.c
+++ b/xen/drivers/pt.c
@@ -10,9 +10,9 @@ static int pt_map(struct domain *d, u64 addr)
     maddr = pt_lookup(d, addr);
     if ( maddr == 0 )
     {
         spin_unlock(&d->lock);
         return -ENOMEM;
     }
-    return 1;
+    return 0;
 }
 
@@ -30,9 +30,9 @@ static int pt_unmap(struct domain *d, u64 addr)
     maddr = pt_lookup(d, addr);
     if ( maddr == 0 )
     {
         spin_unlock(&d->lock);
-        return;
+        return -ENOENT;
     }
     return 0;
 }
 
`,
        expect: [
          { line: 34, messageId: 'inconsistent', verdict: 'verified' },
        ],
      },
    ],
    clean: [
      {
        name: 'the exit cannot be taken: an earlier BUG_ON rules the condition out',
        refuted: true,
        patch: `--- a/xen/drivers/pt.c
+++ b/xen/drivers/pt.c
@@ -10,9 +10,9 @@ static int pt_map(struct domain *d, u64 addr)
     maddr = pt_lookup(d, addr);
     if ( maddr == 0 )
     {
         spin_unlock(&d->lock);
         return -ENOMEM;
     }
-    return 1;
+    return 0;
 }
 
@@ -30,9 +30,10 @@ static int pt_unmap(struct domain *d, u64 addr)
     maddr = pt_lookup(d, addr);
+    BUG_ON(maddr == 0);
     if ( maddr == 0 )
     {
         spin_unlock(&d->lock);
-        return;
+        return -ENOENT;
     }
     return 0;
 }
 
`,
      },
      {
        name: 'both places agree on the errno',
        patch: `--- a/xen/drivers/pt.c
+++ b/xen/drivers/pt.c
@@ -10,9 +10,9 @@ static int pt_map(struct domain *d, u64 addr)
     maddr = pt_lookup(d, addr);
     if ( maddr == 0 )
     {
         spin_unlock(&d->lock);
         return -ENOMEM;
     }
-    return 1;
+    return 0;
 }
 
@@ -30,9 +30,9 @@ static int pt_unmap(struct domain *d, u64 addr)
     maddr = pt_lookup(d, addr);
     if ( maddr == 0 )
     {
         spin_unlock(&d->lock);
-        return;
+        return -ENOMEM;
     }
     return 0;
 }
 
`,
      },
    ],
  },
});

// config/invalid-value-defaulted: scaffolded by `patch-review rules new` from comment 30 of seed thread 002, then written.
import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { conditionOf, declaredNames, descendants, fold, squash } from '../../src/review/ast.ts';
import { errorLogLevel, isErrorCode, stringMatchSubject, writtenText } from '../../src/review/log-levels.ts';

/** A value that stands for itself: a macro constant, a number, true/false, a string. */
const CONSTANT = /^(-?\s*\d\w*|[A-Z_][A-Z0-9_]*|true|false|"[^"]*")$/;

interface Arm {
  /** The value this arm stands for (`"force"`, `MODE_A`). */
  value: string;
  body: SyntaxNode[];
}

interface Dispatch {
  subject: string;
  arms: Arm[];
  /** The statements run for any other value: the final else. */
  otherwise: SyntaxNode[];
  node: SyntaxNode;
}

const statements = (n: SyntaxNode | null | undefined): SyntaxNode[] =>
  !n ? [] : n.type === 'compound_statement' ? n.namedChildren.filter((c) => c.type !== 'comment') : [n];

/** `if (!strcmp(s, "a")) ... else if (!strcmp(s, "b")) ... else ...` on one subject, with a final else. */
function ifChain(top: SyntaxNode): Dispatch | null {
  if (top.parent?.type === 'else_clause') return null;
  const arms: Arm[] = [];
  let subject: string | undefined;
  for (let n: SyntaxNode | null = top; n; ) {
    const m = stringMatchSubject(conditionOf(n));
    if (!m || (subject !== undefined && squash(m.subject) !== squash(subject))) return null;
    subject = m.subject;
    arms.push({ value: m.literal, body: statements(n.childForFieldName('consequence')) });
    const alt: SyntaxNode | null = n.childForFieldName('alternative');
    const next: SyntaxNode | null = alt?.type === 'else_clause' ? alt.namedChild(0) : alt;
    if (next?.type === 'if_statement') {
      n = next;
      continue;
    }
    return next && subject ? { subject, arms, otherwise: statements(next), node: top } : null;
  }
  return null;
}

/** `target = value;` statements in a list of statements (not inside nested functions of the arm). */
function assignments(list: SyntaxNode[]): { stmt: SyntaxNode; target: string; value: SyntaxNode }[] {
  const out: { stmt: SyntaxNode; target: string; value: SyntaxNode }[] = [];
  for (const s of list) {
    for (const a of descendants(s, 'assignment_expression')) {
      if (a.childForFieldName('operator')?.text !== '=' || a.parent?.type !== 'expression_statement') continue;
      const left = a.childForFieldName('left');
      const right = a.childForFieldName('right');
      if (left && right) out.push({ stmt: a.parent, target: squash(left.text), value: right });
    }
  }
  return out;
}

/** The function's parameters and locals. */
function localNames(ctx: FunctionContext): Set<string> {
  const names = new Set((ctx.post.params ?? []).map((p) => p.name));
  for (const decl of descendants(ctx.post.node, 'declaration')) for (const d of declaredNames(decl)) names.add(d.name);
  return names;
}

function candidatesIn(ctx: FunctionContext, d: Dispatch): { node: SyntaxNode; data: Record<string, unknown> }[] {
  if (!d.otherwise.some((s) => ctx.touchesAdded(s))) return [];
  // What the known values set: the default must put one of those targets in place of the unknown value.
  const known = new Set(d.arms.flatMap((a) => assignments(a.body).map((x) => x.target)));
  const locals = localNames(ctx);
  const set = assignments(d.otherwise).find((x) => {
    const value = fold(x.value.text);
    // A setting kept for later (a member, a global), not the function's own status or a scratch local; and a
    // value that stands for a setting, not an error code the arm reports.
    const root = /^[A-Za-z_]\w*/.exec(x.target)?.[0] ?? '';
    const stored = x.target !== root || !locals.has(root);
    return known.has(x.target) && stored && CONSTANT.test(value) && !isErrorCode(value);
  });
  if (!set) return [];
  const log = d.otherwise.flatMap((s) => [...descendants(s, 'call_expression')]).map((c) => ({ c, level: errorLogLevel(c, (n) => writtenText(ctx.post, n)) })).find((x) => x.level);
  if (!log?.level) return [];
  return [{
    node: set.stmt,
    data: {
      subject: d.subject,
      known: d.arms.map((a) => a.value).slice(0, 4).join(', ') + (d.arms.length > 4 ? ', ...' : ''),
      target: fold(set.stmt.text).replace(/\s*=.*$/, ''),
      value: fold(set.value.text),
      level: log.level.level,
      levelSource: log.level.source,
    },
  }];
}

const THREAD = {
  list: 'xen-devel',
  thread: 'Re: [Xen-devel] [RFC][PATCH 01/13] tools: introduce some new parameters to set rdm policy',
  date: '2015-05-11',
  reviewer: 'Wei Liu',
} as const;

export default defineRule({
  scope: 'function',
  meta: {
    id: 'invalid-value-defaulted',
    pack: 'config',
    family: 'invalid-input-accepted',
    severity: 'warning',
    summary: 'A setting the code does not recognise is logged as an error and then replaced by a default, and the function reports success.',
    source: {
      ...THREAD,
      quote: 'If this is not an error, you don\'t need XLU__PCI_ERR. But I would say we should just treat this as an error and abort/exit/report (whatever the parser should do in this case). ... I suggest we just abort in this case and not second guess what the admin wants.',
    },
    messages: {
      defaulted:
        '{{function}}() meets a value of `{{subject}}` it does not know (none of {{known}}), prints it as an error ({{level}}) and goes on with `{{target}} = {{value}}`, reporting success: the setting is silently replaced by a default. Reject the value (return the parser\'s error) instead of second-guessing what was meant.',
    },
    fixable: false,
    limitations:
      'Recognises a setting by its text: an if/else-if chain of string comparisons of one subject (strcmp and friends, data ' +
      'in src/review/log-levels.ts) with a final else. A switch is not read: its subject is as often a hardware value or a ' +
      'call\'s result as a setting. The catch-all arm must print at error level (same data) and assign a constant that is not ' +
      'an error code to a member or global the known values assign (a function\'s status or a local is not a setting). ' +
      'Whether the function then reports success is the simulator\'s answer: a path that goes on into code the patch does ' +
      'not show is inconclusive. A catch-all that only warns (a deliberate tolerance) is not reported.',
  },
  detect(ctx) {
    const out = [];
    for (const n of descendants(ctx.post.node, 'if_statement')) {
      const d = ifChain(n);
      if (d) out.push(...candidatesIn(ctx, d));
    }
    return out;
  },
  check(candidate, ctx) {
    const d = candidate.data as Record<string, string>;
    return {
      messageId: 'defaulted',
      data: { function: ctx.fn.name, subject: d.subject!, known: d.known!, level: d.level!, target: d.target!, value: d.value! },
      question: { kind: 'success-after', at: candidate.node, doing: `prints an error (${d.level}) and sets ${d.target} = ${d.value}` },
      assumptions: [`${d.level} prints at error level (${d.levelSource})`],
    };
  },
  cases: {
    flagged: [
      {
        name: 'an unknown option value is printed as an error and replaced by a default; the parser returns 0',
        patch: `--- a/tools/libs/cfg/opt.c
+++ b/tools/libs/cfg/opt.c
@@ -0,0 +1,19 @@
+int cfg_parse_mode(struct cfg *cfg, struct opts *o, const char *tok)
+{
+    if ( !tok )
+        return CFG_ERR_INVAL;
+
+    if ( !strcmp(tok, "strict") ) {
+        o->mode = MODE_STRICT;
+    } else if ( !strcmp(tok, "relaxed") ) {
+        o->mode = MODE_RELAXED;
+    } else {
+        o->mode = MODE_STRICT;
+        CFG_ERR(cfg, "unknown mode '%s', using 'strict'", tok);
+    }
+
+    o->mode_set = 1;
+
+    return 0;
+}
+
`,
        expect: [{ line: 11, messageId: 'defaulted', verdict: 'verified' }],
      },
      {
        name: 'a command line option parser whose catch-all prints with XENLOG_ERR and picks a mode',
        patch: `--- a/xen/common/opt.c
+++ b/xen/common/opt.c
@@ -10,2 +10,16 @@ static int opt_level;
 
+static int __init parse_level(const char *s)
+{
+    if ( !strcmp(s, "off") )
+        opt_level = LEVEL_OFF;
+    else if ( !strcmp(s, "on") )
+        opt_level = LEVEL_ON;
+    else
+    {
+        printk(XENLOG_ERR "bad level '%s'\\n", s);
+        opt_level = LEVEL_ON;
+    }
+    return 0;
+}
+
 static int __init other(void)
`,
        expect: [{ line: 20, messageId: 'defaulted', verdict: 'verified' }],
      },
      {
        name: 'in a fragment whose end is not shown, what follows the default is unknown',
        patch: `--- a/tools/libs/cfg/opt.c
+++ b/tools/libs/cfg/opt.c
@@ -40,6 +40,13 @@ int cfg_parse(struct cfg *cfg, struct opts *o, const char *key, const char *tok)
         o->seize = atoi(tok);
     } else if ( !strcmp(key, "mode") ) {
-        o->mode = atoi(tok);
+        if ( !strcmp(tok, "strict") )
+            o->mode = MODE_STRICT;
+        else if ( !strcmp(tok, "relaxed") )
+            o->mode = MODE_RELAXED;
+        else {
+            o->mode = MODE_STRICT;
+            CFG_ERR(cfg, "unknown mode '%s', using 'strict'", tok);
+        }
     } else {
         CFG_ERR(cfg, "unknown option '%s'", key);
     }
`,
        expect: [{ line: 47, messageId: 'defaulted', verdict: 'inconclusive' }],
      },
    ],
    clean: [
      {
        name: 'a switch over a value from hardware with an error-level default: not read as a setting',
        patch: `--- a/xen/arch/x86/irq.c
+++ b/xen/arch/x86/irq.c
@@ -0,0 +1,18 @@
+static int bus_irq(unsigned int bus, int pin)
+{
+    switch ( bus_type[bus] )
+    {
+    case BUS_ISA:
+        bus_mode = MODE_EDGE;
+        break;
+    case BUS_PCI:
+        bus_mode = MODE_LEVEL;
+        break;
+    default:
+        printk(XENLOG_ERR "unknown bus type %u\\n", bus);
+        bus_mode = MODE_EDGE;
+        break;
+    }
+    return pin;
+}
+
`,
      },
      {
        name: 'the catch-all sets the status to an error code and hands it on: an error reported, not a default',
        patch: `--- a/tools/libs/light/dev.c
+++ b/tools/libs/light/dev.c
@@ -0,0 +1,15 @@
+static void dev_add(struct ctx *gc, struct dev *d, const char *kind)
+{
+    int rc;
+
+    if ( !strcmp(kind, "pv") )
+        rc = dev_add_pv(gc, d);
+    else if ( !strcmp(kind, "hvm") )
+        rc = dev_add_hvm(gc, d);
+    else {
+        LOG(ERROR, "unsupported kind %s", kind);
+        rc = ERROR_FAIL;
+    }
+    dev_add_done(gc, d, rc);
+}
+
`,
      },
      {
        name: 'the unknown value is printed and rejected: the parser fails',
        refuted: true,
        patch: `--- a/tools/libs/cfg/opt.c
+++ b/tools/libs/cfg/opt.c
@@ -0,0 +1,18 @@
+int cfg_parse_mode(struct cfg *cfg, struct opts *o, const char *tok)
+{
+    int rc = 0;
+
+    if ( !strcmp(tok, "strict") ) {
+        o->mode = MODE_STRICT;
+    } else if ( !strcmp(tok, "relaxed") ) {
+        o->mode = MODE_RELAXED;
+    } else {
+        o->mode = MODE_STRICT;
+        CFG_ERR(cfg, "unknown mode '%s'", tok);
+        rc = CFG_ERR_INVAL;
+    }
+
+    return rc;
+}
+
+
`,
      },
      {
        name: 'the catch-all only warns: a tolerance the author chose, not an error swallowed',
        patch: `--- a/tools/libs/cfg/opt.c
+++ b/tools/libs/cfg/opt.c
@@ -0,0 +1,14 @@
+int cfg_parse_mode(struct cfg *cfg, struct opts *o, const char *tok)
+{
+    if ( !strcmp(tok, "strict") ) {
+        o->mode = MODE_STRICT;
+    } else if ( !strcmp(tok, "relaxed") ) {
+        o->mode = MODE_RELAXED;
+    } else {
+        o->mode = MODE_STRICT;
+        CFG_WARN(cfg, "unknown mode '%s', using 'strict'", tok);
+    }
+
+    return 0;
+}
+
`,
      },
      {
        name: 'the catch-all sets no default: the rest of the chain is not a value table',
        patch: `--- a/tools/libs/cfg/opt.c
+++ b/tools/libs/cfg/opt.c
@@ -0,0 +1,13 @@
+int cfg_parse_mode(struct cfg *cfg, struct opts *o, const char *tok)
+{
+    if ( !strcmp(tok, "strict") )
+        o->mode = MODE_STRICT;
+    else if ( !strcmp(tok, "relaxed") )
+        o->mode = MODE_RELAXED;
+    else
+        CFG_ERR(cfg, "unknown mode '%s'", tok);
+
+    return 0;
+}
+
+
`,
      },
    ],
  },
});

// Generated inputs of growing size for the bench's growth ladders, built in memory and never written
// to the repository. Deterministic: the same argument gives the same text, byte for byte.
//
// - hunkLadder(n): one file modified by n hunks; each hunk sits in its own function and adds an
//   error check after a call (the shape of a typical fix), with three lines of context either side.
// - checksLadder(k): one new function with k sequential error checks unwinding through one label.
//
//   tsx bench/ladder.ts hunks 100 > /tmp/h100.patch      (print one, to look at or feed the CLI)

const HEADER = (subject: string, body: string): string[] => [
  'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
  'From: Bench Generator <bench@example.invalid>',
  'Date: Thu, 1 Jan 2026 00:00:00 +0000',
  `Subject: [PATCH] ${subject}`,
  '',
  body,
  '',
  'Signed-off-by: Bench Generator <bench@example.invalid>',
  '---',
];

/** The pre-image of function i of the hunk ladder: 12 lines. */
function ladderFunction(i: number): { pre: string[]; post: string[]; changeAt: number } {
  const n = String(i).padStart(4, '0');
  const pre = [
    `static int ladder_fn_${n}(struct ladder_dev *dev)`,
    '{',
    '\tint rc;',
    '',
    `\trc = ladder_prepare_${n}(dev);`,
    '\tif ( rc )',
    '\t\treturn rc;',
    `\tladder_commit_${n}(dev);`,
    `\tladder_notify_${n}(dev);`,
    '\treturn 0;',
    '}',
    '',
  ];
  // The fix: the commit's result is now checked.
  const post = [
    ...pre.slice(0, 7),
    `\trc = ladder_commit_${n}(dev);`,
    '\tif ( rc )',
    '\t\treturn rc;',
    ...pre.slice(8),
  ];
  return { pre, post, changeAt: 7 };
}

/** A format-patch mail modifying one file with `hunks` hunks, one per function. */
export function hunkLadder(hunks: number): string {
  const path = 'drivers/bench/ladder.c';
  const prologue = ['/* Synthetic benchmark input: bench/ladder.ts. */', '#include <linux/errno.h>', '#include "ladder.h"', ''];
  const out: string[] = [];
  let preLine = prologue.length + 1; // 1-based line of the function's first line in the pre-image
  let delta = 0;
  for (let i = 0; i < hunks; i++) {
    const { pre, post, changeAt } = ladderFunction(i);
    const from = changeAt - 3;
    const preBody = pre.slice(from, changeAt + 1 + 3);
    const postBody = post.slice(from, changeAt + 3 + 3);
    const start = preLine + from;
    out.push(`@@ -${start},${preBody.length} +${start + delta},${postBody.length} @@ static int ladder_fn_${String(i).padStart(4, '0')}(struct ladder_dev *dev)`);
    out.push(...pre.slice(from, changeAt).map((l) => ` ${l}`));
    out.push(`-${pre[changeAt]}`);
    out.push(...post.slice(changeAt, changeAt + 3).map((l) => `+${l}`));
    out.push(...pre.slice(changeAt + 1, changeAt + 4).map((l) => ` ${l}`));
    delta += post.length - pre.length;
    preLine += pre.length;
  }
  return [
    ...HEADER(`bench: check ladder_commit_*() in ${hunks} function${hunks === 1 ? '' : 's'}`, `Synthetic: ${hunks} hunk${hunks === 1 ? '' : 's'}.`),
    ` ${path} | ${hunks * 4} +++${hunks > 0 ? '-' : ''}`,
    ` 1 file changed, ${hunks * 3} insertions(+), ${hunks} deletions(-)`,
    '',
    `diff --git a/${path} b/${path}`,
    'index 1111111..2222222 100644',
    `--- a/${path}`,
    `+++ b/${path}`,
    ...out,
    '-- ',
    '2.43.0',
    '',
  ].join('\n');
}

/** A format-patch mail adding one function with `checks` sequential error checks. */
export function checksLadder(checks: number): string {
  const path = 'drivers/bench/checks.c';
  const body: string[] = ['#include <linux/errno.h>', '#include "checks.h"', '', 'int checks_setup(struct checks_dev *dev)', '{', '\tint rc;', ''];
  for (let i = 0; i < checks; i++) {
    const n = String(i).padStart(3, '0');
    body.push(`\trc = checks_step_${n}(dev);`, '\tif ( rc )', '\t\tgoto out;');
  }
  // A known-fallible call whose result is dropped, so the rules have something to ask the simulator.
  body.push('\tregulator_enable(dev->supply);', '\treturn 0;', '', ' out:', '\tchecks_teardown(dev);', '\treturn rc;', '}');
  return [
    ...HEADER(`bench: add a setup with ${checks} error checks`, `Synthetic: one function, ${checks} checks.`),
    ` ${path} | ${body.length} +`,
    ` 1 file changed, ${body.length} insertions(+)`,
    '',
    `diff --git a/${path} b/${path}`,
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    `+++ b/${path}`,
    `@@ -0,0 +1,${body.length} @@`,
    ...body.map((l) => `+${l}`),
    '-- ',
    '2.43.0',
    '',
  ].join('\n');
}

export const HUNK_STEPS = [1, 10, 100, 1000] as const;
export const CHECK_STEPS = [5, 50, 500] as const;

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!) && process.argv[1].includes('ladder')) {
  const [kind, count] = process.argv.slice(2);
  const n = Number(count);
  if ((kind !== 'hunks' && kind !== 'checks') || !Number.isInteger(n) || n < 1) {
    process.stderr.write('usage: tsx bench/ladder.ts hunks|checks N\n');
    process.exitCode = 2;
  } else process.stdout.write(kind === 'hunks' ? hunkLadder(n) : checksLadder(n));
}

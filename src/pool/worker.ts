// A review worker: piscina calls the default export with one task; review() runs here, off the
// event loop of the thread that serves requests. Loading the engine (tree-sitter, the rule packs)
// happens once per thread, when the module is imported.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { workerData } from 'node:worker_threads';
import { review } from '../default-review.ts';
import { clearCrossReviewCaches } from './caches.ts';
import { serializeError, type Task, type TaskResult, type WorkerData } from './protocol.ts';

const keepModelCache = (workerData as WorkerData | undefined)?.keepModelCache !== false;

/**
 * Heap in use after a review (MB) above which the worker settles before its next review: a seed-sized review
 * leaves ~20-30 MB, a 1 000-hunk one ~80-90 MB.
 */
export const SETTLE_AFTER_HEAP_MB = 64;

let collect: (() => void) | undefined;
/** Set once a large review ended; the next task waits for it. */
let settling: Promise<void> | undefined;

/**
 * After a large review, before the next one: a full collection, two turns of the event loop (the finalizers
 * that free tree-sitter's native trees run there: 2 000 of them after a 1 000-hunk review, unreachable since
 * their copy was made but freed only once collected and finalized), and a second collection for what the
 * finalizers let go. Without it the next large review stacked on the last one's garbage and native trees: three
 * 1 000-hunk reviews in a row peaked at 177-181, then 178-254 MB (7 of 15 runs above 200 MB); with it 177-180 MB
 * each (docs/perf.md, session 9). ~110-130 ms of CPU, after the answer has gone; small reviews never pay it.
 */
export async function settle(): Promise<void> {
  if (!collect) {
    // `gc` exists in contexts made after the flag is set; the flag changes nothing else.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  collect();
}

export default async function runTask(task: Task): Promise<TaskResult> {
  if (task.kind === 'ping') return { ok: true, pong: true };
  if (settling) {
    await settling;
    settling = undefined;
  }
  try {
    if (!keepModelCache) clearCrossReviewCaches();
    // A Buffer arrives as a plain Uint8Array; review() treats a string and a Buffer alike.
    const input = typeof task.input === 'string' ? task.input : Buffer.from(task.input.buffer, task.input.byteOffset, task.input.byteLength);
    return { ok: true, review: await review(input, task.options) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  } finally {
    // Started once this task's answer is on its way (a macrotask after it), awaited by the next task.
    if (process.memoryUsage().heapUsed > SETTLE_AFTER_HEAP_MB * 1048576) settling = new Promise((resolve) => setImmediate(() => void settle().then(resolve, resolve)));
  }
}

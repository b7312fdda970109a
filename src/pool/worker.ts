// A review worker: piscina calls the default export with one task; review() runs here, off the
// event loop of the thread that serves requests. Loading the engine (tree-sitter, the rule packs)
// happens once per thread, when the module is imported.
import { workerData } from 'node:worker_threads';
import { review } from '../default-review.ts';
import { clearCrossReviewCaches } from './caches.ts';
import { serializeError, type Task, type TaskResult, type WorkerData } from './protocol.ts';

const keepModelCache = (workerData as WorkerData | undefined)?.keepModelCache !== false;

export default async function runTask(task: Task): Promise<TaskResult> {
  if (task.kind === 'ping') return { ok: true, pong: true };
  try {
    if (!keepModelCache) clearCrossReviewCaches();
    // A Buffer arrives as a plain Uint8Array; review() treats a string and a Buffer alike.
    const input = typeof task.input === 'string' ? task.input : Buffer.from(task.input.buffer, task.input.byteOffset, task.input.byteLength);
    return { ok: true, review: await review(input, task.options) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

// The simulator's memos that outlive a review, emptied on request.
import { clearIdSymbols } from '../state/path-state.ts';
import { clearNormMemo } from '../program/source.ts';
import { clearNumberMemo } from './expr.ts';

/**
 * Empty the simulator's memos that outlive a review (folded texts, number literals, the call symbols of ids: all
 * keyed by text). Results never depend on them; a bench measuring what a new patch costs clears them before each
 * review, with the C model's (src/c clearModelCaches; the memos keyed by tree nodes go with the trees).
 */
export function clearSimMemos(): void {
  clearNormMemo();
  clearNumberMemo();
  clearIdSymbols();
}

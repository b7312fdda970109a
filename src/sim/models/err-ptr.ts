// Error pointers: IS_ERR/PTR_ERR/ERR_PTR.
import type { CallModel } from './model.ts';

export const errPtrModels: CallModel[] = [
  { family: 'err-ptr', names: ['IS_ERR', 'IS_ERR_OR_NULL'], behaviour: { kind: 'is-err', arg: 0 } },
  { family: 'err-ptr', names: ['PTR_ERR', 'PTR_ERR_OR_ZERO'], behaviour: { kind: 'ptr-err', arg: 0 } },
  { family: 'err-ptr', names: ['ERR_PTR', 'ERR_CAST'], behaviour: { kind: 'err-ptr', arg: 0 } },
];

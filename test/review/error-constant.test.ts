// What names an error code: an error enum's name for "no error" (`SFCP_ERROR_SUCCESS`) is its success code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isErrorConstant } from '../../src/review/api-data.ts';

test('error constants: errno and *_ERROR_* / *_ERR_* names', () => {
  for (const c of ['-EINVAL', '(-ENOMEM)', 'TEE_ERROR_GENERIC', '-FDT_ERR_NOTFOUND', 'QUUX_ERROR_INVALID_PARAMS']) {
    assert.equal(isErrorConstant(c), true, c);
  }
});

test('error constants: the success member of an error enum is not one (TF-A SFCP_ERROR_SUCCESS style)', () => {
  for (const c of ['QUUX_ERROR_SUCCESS', 'QUUX_ERR_NONE', 'QUUX_ERROR_OK', 'TEE_SUCCESS', '0']) {
    assert.equal(isErrorConstant(c), false, c);
  }
});

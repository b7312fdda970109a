// One reader of "the commit message lets the failure go on purpose" for dropped-error and error-path-regression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageLetsFailureGo } from '../../src/review/intent.ts';

test('a sentence that lets a failure go counts anywhere in the message', () => {
  assert.equal(messageLetsFailureGo({ subject: 'drivers: quux: allow probe failure of the optional PHY' }, 'quux_phy_init'), true);
  assert.equal(messageLetsFailureGo({ message: 'Do not fail the boot when the sensor is absent.' }, 'sensor_probe'), true);
  assert.equal(messageLetsFailureGo({ message: 'Continue without the cache if it cannot be set up.' }, 'cache_init'), true);
});

test('words that say a failure is fine count in the paragraph naming the callee or the next one', () => {
  const message = 'quux_get_cfg() returns -ENOENT when the node is absent.\n\nThat is not an error for this board.';
  assert.equal(messageLetsFailureGo({ message }, 'quux_get_cfg'), true);
  assert.equal(messageLetsFailureGo({ message }, 'ops->quux_get_cfg'), true);
  assert.equal(messageLetsFailureGo({ message: 'Rework quux_get_cfg().\n\nSecond part.\n\nWhitespace errors are ignored by the tool.' }, 'quux_get_cfg'), false);
});

test('nothing said: not let go', () => {
  assert.equal(messageLetsFailureGo({ subject: 'quux: add the clock driver', message: 'Adds quux_clk_enable().' }, 'quux_clk_enable'), false);
  assert.equal(messageLetsFailureGo({}, 'f'), false);
});

// Unit tests for the shared hex formatter: unsigned rendering of negative values, padding.
import assert from 'node:assert/strict';
import { hex } from '../../../debug-adapter/src/common/hex';

describe('hex', () => {
  it('renders numbers and bigints with 0x, padded on request', () => {
    assert.equal(hex(0x1f), '0x1f');
    assert.equal(hex(0xffffffff80000000n), '0xffffffff80000000');
    assert.equal(hex(0x7c00, 8), '0x00007c00');
  });

  it('shows negative values as the unsigned register contents', () => {
    assert.equal(hex(-1n), '0xffffffffffffffff');
    assert.equal(hex(-1), '0xffffffff');
  });
});

// Unit tests for DR0-DR3/DR7 encoding: instruction slots, data watches by size and access, DR6 matches, validation.
import assert from 'node:assert/strict';
import { dataWatchProblem, debugRegisters, matchedSlots } from '../../../debug-adapter/src/vmm/debugStub/debugRegisters';

describe('debug registers', () => {
  it('encodes an instruction slot as enable only (R/W 00, LEN 00)', () => {
    const { dr, dr7 } = debugRegisters([{ address: 0x7c00n, kind: 'exec', length: 1 }]);
    assert.deepEqual(dr, [0x7c00n, 0n, 0n, 0n]);
    assert.equal(dr7, 1n << 1n);
  });

  it('encodes data watches with their R/W and LEN fields, and exact-breakpoint GE', () => {
    const { dr, dr7 } = debugRegisters([
      { address: 0x1000n, kind: 'exec', length: 1 },
      { address: 0x2000n, kind: 'write', length: 4 },
      { address: 0x3000n, kind: 'readWrite', length: 8 },
      { address: 0x4001n, kind: 'write', length: 1 },
    ]);
    assert.deepEqual(dr, [0x1000n, 0x2000n, 0x3000n, 0x4001n]);
    const enables = (1n << 1n) | (1n << 3n) | (1n << 5n) | (1n << 7n);
    const slot1 = (0b01n << 20n) | (0b11n << 22n);
    const slot2 = (0b11n << 24n) | (0b10n << 26n);
    const slot3 = (0b01n << 28n) | (0b00n << 30n);
    assert.equal(dr7, enables | (1n << 9n) | slot1 | slot2 | slot3);
  });

  it('leaves out the instruction slot being stepped over', () => {
    const { dr, dr7 } = debugRegisters([{ address: 0x1000n, kind: 'exec', length: 1 }, { address: 0x1004n, kind: 'exec', length: 1 }], 0x1000n);
    assert.deepEqual(dr, [0n, 0x1004n, 0n, 0n]);
    assert.equal(dr7, 1n << 3n);
  });

  it('reads the matched slots from DR6', () => {
    assert.deepEqual(matchedSlots(0xffff0ff0n | 0b1010n), [1, 3]);
    assert.deepEqual(matchedSlots(1n << 14n), []);
  });

  it('refuses sizes, alignments and accesses the debug registers cannot watch', () => {
    assert.equal(dataWatchProblem(0x1000n, 4, 'write'), undefined);
    assert.equal(dataWatchProblem(0x1008n, 8, 'readWrite'), undefined);
    assert.match(dataWatchProblem(0x1000n, 3, 'write')!, /1, 2, 4 or 8 bytes, not 3/);
    assert.match(dataWatchProblem(0x1002n, 4, 'write')!, /not aligned to 4 bytes/);
    assert.match(dataWatchProblem(0x1000n, 4, 'read')!, /cannot watch reads alone/);
  });
});

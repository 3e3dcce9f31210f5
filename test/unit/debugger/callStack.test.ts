// Unit tests for the frame-pointer walk over a fake stack.
import assert from 'node:assert/strict';
import { callerAddresses, type WordReader } from '../../../debug-adapter/src/debugger/callStack';

/** A 32-bit stack as address -> word. */
function reader(words: Record<number, number>): WordReader {
  return async (a) => (words[Number(a)] === undefined ? undefined : BigInt(words[Number(a)]));
}

describe('frame-pointer call stack', () => {
  // Frames: innermost bp=0x8f00 -> saved bp 0x8f40 (ret 0x1111) -> saved bp 0x8f80 (ret 0x2222) -> saved bp 0 (ret 0x3333).
  const stack = reader({
    0x8ef0: 0x4444, 0x8f00: 0x8f40, 0x8f04: 0x1111, 0x8f40: 0x8f80, 0x8f44: 0x2222, 0x8f80: 0, 0x8f84: 0x3333,
  });

  it('follows the saved frame pointers', async () => {
    assert.deepEqual(await callerAddresses({ sp: 0x8ef0n, fp: 0x8f00n, wordSize: 4, atFunctionEntry: false }, stack),
      [0x1111n, 0x2222n, 0x3333n]);
  });

  it('takes the return address from the stack top at a function entry', async () => {
    assert.deepEqual(await callerAddresses({ sp: 0x8ef0n, fp: 0x8f00n, wordSize: 4, atFunctionEntry: true }, stack),
      [0x4444n, 0x1111n, 0x2222n, 0x3333n]);
  });

  it('stops on a chain that does not grow, an unreadable word, or the limit', async () => {
    const loop = reader({ 0x100: 0x100, 0x104: 0x5 });
    assert.deepEqual(await callerAddresses({ sp: 0n, fp: 0x100n, wordSize: 4, atFunctionEntry: false }, loop), [0x5n]);
    assert.deepEqual(await callerAddresses({ sp: 0n, fp: 0x9999n, wordSize: 4, atFunctionEntry: false }, stack), []);
    assert.deepEqual(await callerAddresses({ sp: 0x8ef0n, fp: 0x8f00n, wordSize: 4, atFunctionEntry: false }, stack, 2), [0x1111n, 0x2222n]);
  });
});

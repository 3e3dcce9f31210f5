// Inlined calls as call-stack frames of their own, over the -O2 multiboot-c image (no VM).
import assert from 'node:assert/strict';
import { join } from 'path';
import { withInlinedCalls, type FrameInfo } from '../../../debug-adapter/src/debugger/callStack';
import { ImageSymbols } from '../../../debug-adapter/src/debugger/imageSymbols';
import { SymbolIndex } from '../../../debug-adapter/src/debugger/symbolIndex';

const GUESTS = join(__dirname, '..', '..', '..', '..', 'build', 'guests');
/** shape_area2() inlined into local_shape_area2() (demo.c:42); inb() inlined into serial_putc() inlined into serial_puts(). */
const SHAPE_AREA_INSN = 0x1003b2n;
const PUTS_INB_INSN = 0x100500n;

function frameAt(syms: SymbolIndex, address: bigint): FrameInfo {
  return { name: syms.label(address) ?? '?', address, source: syms.source(address) };
}

describe('withInlinedCalls', () => {
  const syms = SymbolIndex.of(ImageSymbols.fromFile(join(GUESTS, 'multiboot-c-O2.elf'))!);

  it('lists the inlined function first, then its caller at the line of the call, at the same pc', () => {
    const frames = withInlinedCalls([frameAt(syms, SHAPE_AREA_INSN)], syms);
    assert.deepEqual(frames.map((f) => [f.name.split('+')[0], f.address, f.inlined ?? false]),
      [['shape_area2 [inlined]', SHAPE_AREA_INSN, true], ['local_shape_area2', SHAPE_AREA_INSN, false]]);
    assert.match(frames[1].source!.file, /demo\.c$/);
    assert.equal(frames[1].source!.line, 42);
  });

  it('unfolds nested inlined calls innermost first', () => {
    const frames = withInlinedCalls([frameAt(syms, PUTS_INB_INSN)], syms);
    assert.deepEqual(frames.map((f) => f.name.split('+')[0]), ['inb [inlined]', 'serial_putc [inlined]', 'serial_puts']);
    assert.equal(frames[1].source!.line, 28);
    assert.equal(frames[2].source!.line, 36);
  });

  it('leaves frames without inlined calls, and images without DWARF, as they are', () => {
    const plain = SymbolIndex.of(ImageSymbols.fromFile(join(GUESTS, 'multiboot-c.elf'))!);
    const fact = plain.address('fact')!;
    assert.equal(withInlinedCalls([frameAt(plain, fact)], plain).length, 1);
    const f = { name: 'x', address: SHAPE_AREA_INSN };
    assert.deepEqual(withInlinedCalls([f], undefined), [f]);
  });
});

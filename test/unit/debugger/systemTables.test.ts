// Unit tests for GDT descriptor decoding used by `info gdt`.
import assert from 'node:assert/strict';
import { describeDescriptor } from '../../../debug-adapter/src/debugger/systemTables';

describe('descriptor decoding', () => {
  it('decodes flat code and data segments', () => {
    assert.equal(describeDescriptor(0x00cf9a000000ffffn, 0n, false).text, 'code32 readable base=0x0 limit=0xffffffff dpl=0');
    assert.equal(describeDescriptor(0x00cf92000000ffffn, 0n, false).text, 'data32 writable base=0x0 limit=0xffffffff dpl=0');
    assert.equal(describeDescriptor(0x00af9a000000ffffn, 0n, true).text, 'code64 readable base=0x0 limit=0xffffffff dpl=0');
    assert.equal(describeDescriptor(0x0000f2001000ffffn, 0n, false).text, 'data16 writable base=0x1000 limit=0xffff dpl=3');
    assert.equal(describeDescriptor(0n, 0n, false).text, 'null');
  });

  it('reads a 16-byte TSS descriptor in long mode', () => {
    const d = describeDescriptor(0x00008900a0000067n, 0xffffffffn, true);
    assert.equal(d.wide, true);
    assert.equal(d.text, 'TSS (available) base=0xffffffff0000a000 limit=0x67 dpl=0');
  });
});

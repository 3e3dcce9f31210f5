// Tests for screen_info: the linear framebuffer description a later SVGA device hands to Linux in the zero page.
import assert from 'node:assert/strict';
import { planImage } from '../../../debug-adapter/src/loaders/probe';
import {
  maskToField, screenInfoBytes, withFramebuffer, type LinearFramebuffer,
} from '../../../debug-adapter/src/loaders/screenInfo';
import { getU16, getU32 } from '../../../debug-adapter/src/loaders/bytes';
import { buildBzImage, multibootElf } from './imageBuilders';
import { baseOptions, segmentAt } from './planReader';

const fb: LinearFramebuffer = {
  base: 0xe0000000, size: 1024 * 768 * 4, width: 1024, height: 768, depth: 32, lineLength: 4096,
  redMask: 0x00ff0000, greenMask: 0x0000ff00, blueMask: 0x000000ff, reservedMask: 0xff000000,
};

describe('loaders/screenInfo', () => {
  it('encodes a 32-bpp linear framebuffer byte by byte', () => {
    const si = screenInfoBytes(fb);
    assert.equal(si.length, 64);
    const expected = new Uint8Array(64);
    expected[0x0f] = 0x23;
    expected.set([0x00, 0x04], 0x12);
    expected.set([0x00, 0x03], 0x14);
    expected.set([0x20, 0x00], 0x16);
    expected.set([0x00, 0x00, 0x00, 0xe0], 0x18);
    expected.set([0x30, 0x00, 0x00, 0x00], 0x1c);
    expected.set([0x00, 0x10], 0x24);
    expected.set([8, 16, 8, 8, 8, 0, 8, 24], 0x26);
    assert.deepEqual([...si], [...expected]);
  });

  it('rounds lfb_size up to 64 KiB units and uses ext_lfb_base above 4 GiB', () => {
    const si = screenInfoBytes({ ...fb, base: 0x1_2000_0000, size: 0x10001, depth: 16, redMask: 0xf800, greenMask: 0x7e0, blueMask: 0x1f, reservedMask: 0 });
    assert.equal(getU32(si, 0x1c), 2);
    assert.equal(getU32(si, 0x18), 0x20000000);
    assert.equal(getU32(si, 0x36), 2, 'VIDEO_CAPABILITY_64BIT_BASE');
    assert.equal(getU32(si, 0x3a), 1);
    assert.deepEqual([...si.subarray(0x26, 0x2e)], [5, 11, 6, 5, 5, 0, 0, 0]);
    assert.equal(getU16(si, 0x16), 16);
  });

  it('converts masks and rejects non-contiguous ones', () => {
    assert.deepEqual(maskToField(0), { size: 0, pos: 0 });
    assert.deepEqual(maskToField(0xff000000), { size: 8, pos: 24 });
    assert.throws(() => maskToField(0x0f0f), RangeError);
  });

  it('patches a copy of a bzImage plan and leaves other plans alone', () => {
    const plan = planImage(buildBzImage(), baseOptions());
    const patched = withFramebuffer(plan, fb);
    assert.equal(segmentAt(patched, 0x7000).bytes[0x0f], 0x23);
    assert.equal(segmentAt(plan, 0x7000).bytes[0x0f], 0, 'the original plan is unchanged');
    assert.equal(segmentAt(patched, 0x7000).bytes[0x210], 0xff, 'the rest of the zero page is kept');
    const mb = planImage(multibootElf(), baseOptions());
    assert.equal(withFramebuffer(mb, fb), mb);
  });
});

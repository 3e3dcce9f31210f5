// Unit tests of backdoor configuration: UUID parsing and derivation, validation messages, and the legacy clipboard.
import * as assert from 'node:assert/strict';
import { CMD } from '../../../debug-adapter/src/devices/vmwareBackdoor/commands';
import { resolveConfig } from '../../../debug-adapter/src/devices/vmwareBackdoor/config';
import { deriveVmUuid, formatUuid, parseUuid, uuidFromName } from '../../../debug-adapter/src/devices/vmwareBackdoor/uuid';
import { baseConfig, cmd, makeBackdoor, words } from './helpers';

describe('backdoor configuration', () => {
  it('parses UUID strings in written byte order', () => {
    const u = parseUuid('{564D1234-5678-9ABC-DEF0-010203040506}');
    assert.equal(formatUuid(u), '564d1234-5678-9abc-def0-010203040506');
    assert.throws(() => parseUuid('not-a-uuid'), /invalid VM uuid "not-a-uuid": expected 32 hex digits/);
  });

  it('derives a stable, well-formed UUID from the VM name when none is given', () => {
    const a = uuidFromName('lab-vm');
    assert.deepEqual(uuidFromName('lab-vm'), a);
    assert.notDeepEqual(uuidFromName('lab-vm2'), a);
    assert.equal(a[6] >> 4, 8, 'version 8');
    assert.equal(a[8] >> 6, 2, 'RFC variant');
    assert.equal(formatUuid(uuidFromName('lab-vm')), formatUuid(a));
    assert.deepEqual(deriveVmUuid({ vmName: 'lab-vm' }), a);
    assert.equal(deriveVmUuid({ vmName: 'x', uuid: '00112233445566778899aabbccddeeff' })[15], 0xff);
  });

  it('rejects bad settings with one clear line', () => {
    assert.throws(() => resolveConfig({ ...baseConfig(), uuid: new Uint8Array(4) }), /uuid has 4 bytes: expected 16/);
    assert.throws(() => resolveConfig({ ...baseConfig(), memSizeMiB: 0 }), /memSizeMiB 0 is invalid: expected a positive integer/);
    assert.throws(() => resolveConfig({ ...baseConfig(), tscKhz: -1 }), /tscKhz -1 is invalid/);
  });

  it('normalises configured guestinfo keys', () => {
    const c = resolveConfig({ ...baseConfig(), guestinfo: new Map([['a', '1'], ['guestinfo.b', '2']]) });
    assert.deepEqual([...c.guestinfo], [['guestinfo.a', '1'], ['guestinfo.b', '2']]);
  });
});

describe('backdoor legacy clipboard', () => {
  it('streams the host text 4 bytes at a time after GETSELLENGTH', () => {
    const { dev } = makeBackdoor();
    assert.equal(cmd(dev, CMD.GETSELLENGTH).eax, 0);
    dev.setHostClipboard('hello host');
    assert.equal(cmd(dev, CMD.GETSELLENGTH).eax, 10);
    const got = [cmd(dev, CMD.GETNEXTPIECE).eax, cmd(dev, CMD.GETNEXTPIECE).eax, cmd(dev, CMD.GETNEXTPIECE).eax];
    assert.deepEqual(got, words('hello host'));
    assert.equal(cmd(dev, CMD.GETNEXTPIECE).eax, 0, 'zero past the end');
    assert.equal(cmd(dev, CMD.GETSELLENGTH).eax, 10);
    assert.equal(cmd(dev, CMD.GETNEXTPIECE).eax, words('hell')[0], 'GETSELLENGTH restarts the stream');
  });

  it('collects the guest text and delivers it when complete', () => {
    const got: string[] = [];
    const { dev } = makeBackdoor({}, { onGuestClipboard: (t) => got.push(t) });
    cmd(dev, CMD.SETSELLENGTH, { ebx: 6 });
    for (const w of words('guest!')) cmd(dev, CMD.SETNEXTPIECE, { ebx: w });
    assert.deepEqual(got, ['guest!']);
    cmd(dev, CMD.SETNEXTPIECE, { ebx: 0x41414141 });
    assert.equal(got.length, 1, 'pieces without a length are ignored');
    cmd(dev, CMD.SETSELLENGTH, { ebx: 0x7fffffff });
    assert.ok(dev.stats().clipboardBytes <= 65536, 'an oversize length is refused');
  });
});

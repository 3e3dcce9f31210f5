// Unit tests of the vmmouse over the backdoor: the Linux probe sequence, packets, queue bounds and errors.
import * as assert from 'node:assert/strict';
import { CMD } from '../../../debug-adapter/src/devices/vmwareBackdoor/commands';
import { POINTER_LEFT, POINTER_MIDDLE, POINTER_RIGHT } from '../../../debug-adapter/src/devices/vmwareBackdoor/vmmouse';
import { cmd, makeBackdoor, MAGIC } from './helpers';

const READ_ID = 0x45414552;
const DISABLE = 0xf5;
const REQUEST_RELATIVE = 0x4c455252;
const REQUEST_ABSOLUTE = 0x53424152;

function enableAbsolute(dev: ReturnType<typeof makeBackdoor>['dev']): void {
  cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: READ_ID });
  cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 1 });
  cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: REQUEST_ABSOLUTE });
}

describe('vmmouse over the backdoor', () => {
  it('follows the Linux probe: READ_ID, STATUS, DATA(1) = JUB4, RESTRICT, REQUEST_ABSOLUTE', () => {
    const { dev } = makeBackdoor();
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 0xffff0000, 'disabled at power-on');
    const c = cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: READ_ID });
    assert.equal(c.eax, MAGIC, 'COMMAND leaves EAX alone');
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 1);
    assert.equal(cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 1 }).eax, 0x3442554a);
    assert.equal(cmd(dev, CMD.ABSPOINTER_RESTRICT, { ebx: 1 }).eax, MAGIC);
    assert.equal(dev.mouse.restriction, 1);
    cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: REQUEST_ABSOLUTE });
    assert.ok(dev.mouse.absolute);
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 0);
  });

  it('queues absolute packets with button bits, clamped coordinates and the wheel', () => {
    let queued = 0;
    const { dev } = makeBackdoor({}, { onPointerEventQueued: () => queued++ });
    enableAbsolute(dev);
    assert.ok(dev.pushPointerEvent({ buttons: POINTER_LEFT | POINTER_MIDDLE, x: 0x8000, y: 70000, wheel: -2 }));
    assert.ok(dev.pushPointerEvent({ buttons: POINTER_RIGHT, x: -5, y: 10 }));
    assert.equal(queued, 2);
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 8);
    const p = cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 4 });
    assert.deepEqual([p.eax, p.ebx, p.ecx, p.edx], [0x28, 0x8000, 0xffff, 0xfffffffe]);
    const q = cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 4 });
    assert.deepEqual([q.eax, q.ebx, q.ecx, q.edx], [0x10, 0, 10, 0]);
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 0);
  });

  it('flags relative packets and keeps signed deltas', () => {
    const { dev } = makeBackdoor();
    cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: READ_ID });
    cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 1 });
    cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: REQUEST_RELATIVE });
    dev.pushPointerEvent({ buttons: 0, x: -3, y: 4 });
    const p = cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 4 });
    assert.deepEqual([p.eax, p.ebx, p.ecx], [0x10000, (-3) >>> 0, 4]);
  });

  it('drops events while disabled and beyond 1020 queued words', () => {
    const { dev } = makeBackdoor();
    assert.equal(dev.pushPointerEvent({ buttons: 0, x: 1, y: 1 }), false);
    enableAbsolute(dev);
    let accepted = 0;
    for (let i = 0; i < 300; i++) if (dev.pushPointerEvent({ buttons: 0, x: i, y: i })) accepted++;
    assert.equal(accepted, 256);
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 1024);
  });

  it('treats a bad DATA read as an error that disables the device', () => {
    const { dev } = makeBackdoor();
    enableAbsolute(dev);
    dev.pushPointerEvent({ buttons: 0, x: 1, y: 2 });
    const bad = cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 7, ecx: 0 });
    assert.equal(bad.ebx, 7, 'registers untouched');
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 0xffff0000);
    enableAbsolute(dev);
    assert.equal(cmd(dev, CMD.ABSPOINTER_DATA, { ebx: 2 }).eax, MAGIC, 'EAX untouched');
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 0xffff0000, 'more than queued is an error too');
  });

  it('disables on DISABLE with STATUS reading the error pattern, and resets with the VM', () => {
    const { dev } = makeBackdoor();
    enableAbsolute(dev);
    dev.pushPointerEvent({ buttons: 0, x: 1, y: 2 });
    cmd(dev, CMD.ABSPOINTER_COMMAND, { ebx: DISABLE });
    assert.equal(cmd(dev, CMD.ABSPOINTER_STATUS).eax, 0xffff0000);
    enableAbsolute(dev);
    dev.reset();
    assert.equal(dev.mouse.enabled, false);
    assert.equal(dev.mouse.absolute, false);
  });
});

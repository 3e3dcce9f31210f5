// Display of C values: numbers by type, chars, enums, pointers and strings, aggregates, bitfields and problems.
import assert from 'node:assert/strict';
import { encodeScalar, type CValue } from '../../../debug-adapter/src/debugger/variables/cValue';
import { formatValue, hexEnv, quote } from '../../../debug-adapter/src/debugger/variables/valueFormat';
import {
  arr, BITS, BOOL, CHAR, COLOR, DOUBLE, FakeMachine, FLOAT, FUNC, INT, MEM_BASE, POINT, ptr, SHORT, struct, U32, UCHAR, UINT,
} from './variablesFixtures';

const value = (type: CValue['type'], n: bigint | number): CValue => ({ type, bytes: encodeScalar(type, n) });

describe('C value formatting', () => {
  const m = new FakeMachine();
  const show = (v: CValue) => formatValue(v, m);

  it('shows integers by signedness and width, bools, chars and floats', async () => {
    assert.equal(await show(value(INT, -5n)), '-5');
    assert.equal(await show(value(UINT, -1n)), '4294967295');
    assert.equal(await show(value(SHORT, 0x18000n)), '-32768');
    assert.equal(await show(value(U32, 7n)), '7');
    assert.equal(await show(value(BOOL, 1n)), 'true');
    assert.equal(await show({ type: BOOL, bytes: new Uint8Array([0]) }), 'false');
    assert.equal(await show({ type: BOOL, bytes: new Uint8Array([3]) }), '3');
    assert.equal(await show(value(CHAR, 65n)), "65 'A'");
    assert.equal(await show(value(CHAR, -1n)), "-1 '\\xff'");
    assert.equal(await show(value(UCHAR, 10n)), "10 '\\n'");
    assert.equal(await show(value(CHAR, 39n)), "39 '\\''");
    assert.equal(await show(value(FLOAT, 1.5)), '1.5');
    assert.equal(await show(value(DOUBLE, -0.25)), '-0.25');
    assert.equal(await show(value(DOUBLE, Number.NaN)), 'nan');
    assert.equal(await show(value(DOUBLE, -Infinity)), '-inf');
  });

  it('shows enums by enumerator name, or the number when none matches', async () => {
    assert.equal(await show(value(COLOR, 4n)), 'BLUE');
    assert.equal(await show(value(COLOR, 0n)), 'RED');
    assert.equal(await show(value(COLOR, 3n)), '3');
  });

  it('shows pointers in hex, char pointers with their string, function pointers with their symbol', async () => {
    m.putBytes(MEM_BASE + 0x100n, [...Buffer.from('hi "there"\n'), 0]);
    assert.equal(await show(value(ptr(INT), 0x1234n)), '0x1234');
    assert.equal(await show(value(ptr(INT), 0n)), '0x0');
    assert.equal(await show(value(ptr(CHAR), MEM_BASE + 0x100n)), '0x1100 "hi \\"there\\"\\n"');
    assert.equal(await show(value(ptr(CHAR), 0x9000n)), '0x9000 <unreadable>');
    assert.equal(await show(value(ptr(FUNC), 0x2000n)), '0x2000 <handler>');
  });

  it('reads a string that ends just before unmapped memory', async () => {
    const end = MEM_BASE + 0x1000n;
    m.putBytes(end - 4n, [...Buffer.from('abc'), 0]);
    assert.equal(await show(value(ptr(CHAR), end - 4n)), '0x1ffc "abc"');
    m.putBytes(end - 3n, [...Buffer.from('xyz')]);
    assert.equal(await show(value(ptr(CHAR), end - 3n)), '0x1ffd "xyz"...');
  });

  it('summarises structs, nested aggregates, char arrays and long arrays', async () => {
    const shape = struct('shape', 28, [
      { name: 'name', type: arr(CHAR, 8), offset: 0 },
      { name: 'origin', type: POINT, offset: 8 },
      { name: 'pts', type: arr(INT, 3), offset: 16 },
    ]);
    const at = MEM_BASE + 0x200n;
    m.putBytes(at, [...Buffer.from('tri'), 0, 0, 0, 0, 0]);
    m.put(at + 8n, 1n, 4);
    m.put(at + 12n, -2n, 4);
    for (let i = 0; i < 3; i++) m.put(at + 16n + BigInt(4 * i), BigInt(i * 10), 4);
    const v: CValue = { type: shape, place: { kind: 'memory', address: at } };
    assert.equal(await show(v), '{name="tri", origin={...}, pts=[3]}');
    assert.equal(await show({ type: POINT, place: { kind: 'memory', address: at + 8n } }), '{x=1, y=-2}');
    assert.equal(await show({ type: arr(INT, 3), place: { kind: 'memory', address: at + 16n } }), '{0, 10, 20}');
    assert.equal(await show({ type: arr(INT, 20), place: { kind: 'memory', address: at } }).then((s) => s.endsWith(', ...}')), true);
    assert.equal(quote(new Uint8Array([0x61, 0x62]), true), '"ab"...');
    // A char buffer far larger than what is shown is read only as far as shown.
    m.putBytes(MEM_BASE + 0x400n, Array.from({ length: 300 }, () => 0x7a));
    const huge = await show({ type: arr(CHAR, 1 << 20), place: { kind: 'memory', address: MEM_BASE + 0x400n } });
    assert.equal(huge, `"${'z'.repeat(200)}"...`);
  });

  it('extracts bitfields, sign-extending signed ones', async () => {
    const at = MEM_BASE + 0x300n;
    // a=5 (bits 0-2), b=17 (bits 3-7), c=-3 (bits 8-11)
    m.put(at, 5n | (17n << 3n) | (0xdn << 8n), 4);
    assert.equal(await show({ type: BITS, place: { kind: 'memory', address: at } }), '{a=5, b=17, c=-3}');
  });

  it('shows integers in hex on request, as two\'s complement of their width', async () => {
    const hex = hexEnv(m);
    assert.equal(await formatValue(value(INT, -1n), hex), '0xffffffff');
    assert.equal(await formatValue(value(SHORT, 255n), hex), '0xff');
    assert.equal(await formatValue(value(CHAR, 65n), hex), "0x41 'A'");
    assert.equal(await formatValue(value(COLOR, 4n), hex), 'BLUE');
    assert.equal(await formatValue(value(COLOR, 12n), hex), '0xc');
    assert.equal(await formatValue(value(FLOAT, 0.5), hex), '0.5');
    const at = MEM_BASE + 0x380n;
    m.put(at, 5n | (17n << 3n) | (0xdn << 8n), 4);
    assert.equal(await formatValue({ type: BITS, place: { kind: 'memory', address: at } }, hex), '{a=0x5, b=0x11, c=0xd}');
    assert.equal(await formatValue(value(INT, -1n), m), '-1', 'the plain environment is unchanged');
  });

  it('says why a value is missing instead of showing zeros', async () => {
    assert.equal(await show({ type: INT, place: { kind: 'memory', address: 0x40000n } }), '<unreadable at 0x40000>');
    assert.equal(await show({ type: POINT, place: { kind: 'memory', address: 0x40000n } }), '<unreadable at 0x40000>');
    assert.equal(await show({ type: INT, problem: '<optimised out>' }), '<optimised out>');
    assert.equal(await show({ type: INT, place: { kind: 'register', reg: 3, frame: 0 } }), '<not available in this frame>');
    m.regs[0].set(3, 0xfffffffen);
    assert.equal(await show({ type: INT, place: { kind: 'register', reg: 3, frame: 0 } }), '-2');
  });
});

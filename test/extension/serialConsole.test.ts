// The serial console model: line endings across chunks, UTF-8 across chunks, the headless screen, keyboard bytes.
import assert from 'node:assert/strict';
import { encodeSerialInput, LineEndings, SerialConsole } from '../../extension/src/serialConsole';

const bytes = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

describe('extension serial console', () => {
  it('turns a bare LF into CR LF, also when CR and LF arrive in different chunks', () => {
    const le = new LineEndings();
    assert.equal(str(le.convert(bytes('a\nb\r\nc'))), 'a\r\nb\r\nc');
    assert.equal(str(le.convert(bytes('line\r'))), 'line\r');
    assert.equal(str(le.convert(bytes('\nnext\n'))), '\nnext\r\n');
    assert.equal(str(le.convert(bytes('\n\n'))), '\r\n\r\n');
    assert.equal(str(le.convert(new Uint8Array())), '');
  });

  it('keeps a UTF-8 character split across chunks intact and passes ANSI sequences through', () => {
    const c = new SerialConsole();
    const euro = bytes('€');
    assert.equal(c.feed(euro.subarray(0, 1)), '');
    assert.equal(c.feed(euro.subarray(1)), '€');
    assert.equal(c.feed(bytes('\x1b[31mred\x1b[0m\n')), '\x1b[31mred\x1b[0m\r\n');
    c.dispose();
  });

  it('models the visible screen for copying, without colours or trailing blank lines', async () => {
    const c = new SerialConsole({ columns: 20, rows: 4 });
    c.feed(bytes('multiboot-c: hello\n'));
    c.feed(bytes('\x1b[1mfact(5)=120\x1b[0m\n'));
    assert.equal(await c.screenText(), 'multiboot-c: hello\nfact(5)=120');
    c.feed(bytes('3\n4\n5'));
    assert.equal(await c.screenText(), 'fact(5)=120\n3\n4\n5', 'scrolled: only the last 4 rows are on screen');
    c.feed(bytes('\x1b[2J\x1b[Hcleared'));
    assert.equal(await c.screenText(), 'cleared');
    c.dispose();
  });

  it('keeps the extension\'s own notices in the screen model', async () => {
    const c = new SerialConsole({ columns: 40, rows: 4 });
    c.feed(bytes('done\n'));
    assert.equal(c.annotate('\x1b[2m[VM ended, exit status 1]\x1b[0m\r\n'), '\x1b[2m[VM ended, exit status 1]\x1b[0m\r\n');
    assert.equal(await c.screenText(), 'done\n[VM ended, exit status 1]');
    c.dispose();
  });

  it('follows terminal resizes', async () => {
    const c = new SerialConsole({ columns: 10, rows: 2 });
    c.feed(bytes('0123456789abc'));
    assert.equal(await c.screenText(), '0123456789\nabc');
    c.resize(20, 2);
    c.feed(bytes('\r\nwide line of text!'));
    assert.match(await c.screenText(), /wide line of text!$/);
    c.dispose();
  });

  it('encodes keyboard input as base64 UTF-8 bytes', () => {
    assert.equal(encodeSerialInput('ls\r'), Buffer.from('ls\r').toString('base64'));
    assert.deepEqual([...Buffer.from(encodeSerialInput('é'), 'base64')], [0xc3, 0xa9]);
  });
});

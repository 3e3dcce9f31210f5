// launch.json `sourceMap`: DWARF build paths shown as local paths, and editor paths turned back for breakpoints.
import assert from 'node:assert/strict';
import { SourcePathMap } from '../../../debug-adapter/src/debugger/sourcePathMap';

describe('source path map', () => {
  const map = new SourcePathMap({ '/build/kernel': '/home/me/kernel', '/build/kernel/drivers': '/home/me/drivers' });

  it('maps build paths to local ones, the longest prefix winning', () => {
    assert.equal(map.toLocal('/build/kernel/main.c'), '/home/me/kernel/main.c');
    assert.equal(map.toLocal('/build/kernel/drivers/uart.c'), '/home/me/drivers/uart.c');
    assert.equal(map.toLocal('/build/kernel'), '/home/me/kernel');
  });

  it('maps local paths back for breakpoints', () => {
    assert.equal(map.toBuild('/home/me/kernel/main.c'), '/build/kernel/main.c');
    assert.equal(map.toBuild('/home/me/drivers/uart.c'), '/build/kernel/drivers/uart.c');
  });

  it('leaves paths outside every mapping, and prefixes that only look alike, unchanged', () => {
    assert.equal(map.toLocal('/usr/include/stdint.h'), '/usr/include/stdint.h');
    assert.equal(map.toLocal('/build/kernel2/x.c'), '/build/kernel2/x.c');
    assert.equal(new SourcePathMap().toBuild('/a/b.c'), '/a/b.c');
    assert.equal(new SourcePathMap().isEmpty, true);
  });

  it('accepts directories written with a trailing slash', () => {
    const m = new SourcePathMap({ '/build/': '/src/' });
    assert.equal(m.toLocal('/build/a.c'), '/src/a.c');
    assert.equal(m.toBuild('/src/a.c'), '/build/a.c');
  });
});

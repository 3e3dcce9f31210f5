// The per-request page cache: reads across pages, unreadable pages, and synchronous peeks completed by withMemory.
import assert from 'node:assert/strict';
import { MemoryCache, PAGE_SIZE, withMemory } from '../../../debug-adapter/src/debugger/variables/memoryCache';

/** Two readable pages at 0x1000 and 0x2000 whose bytes are their address's low byte; everything else fails. */
function pages(): { fetch: (a: bigint, n: number) => Promise<Uint8Array | undefined>; fetched: bigint[] } {
  const fetched: bigint[] = [];
  return {
    fetched,
    async fetch(address, length) {
      fetched.push(address);
      if (address !== 0x1000n && address !== 0x2000n) return undefined;
      return Uint8Array.from({ length }, (_, i) => Number((address + BigInt(i)) & 0xffn));
    },
  };
}

describe('variables memory cache', () => {
  it('reads within and across pages, fetching each page once', async () => {
    const p = pages();
    const cache = new MemoryCache(p.fetch, 32);
    assert.deepEqual([...(await cache.read(0x1ffen, 4))!], [0xfe, 0xff, 0x00, 0x01]);
    assert.deepEqual([...(await cache.read(0x1010n, 2))!], [0x10, 0x11]);
    assert.deepEqual(p.fetched, [0x1000n, 0x2000n]);
    assert.equal(p.fetched.every((a) => a % BigInt(PAGE_SIZE) === 0n), true);
  });

  it('fails a read that touches an unreadable page, and one that wraps the address space', async () => {
    const cache = new MemoryCache(pages().fetch, 32);
    assert.equal(await cache.read(0x2ffen, 4), undefined);
    assert.equal(await cache.read(0xfffffffen, 4), undefined);
    assert.deepEqual([...(await cache.read(0x2000n, 0))!], []);
  });

  it('peeks synchronously and completes a computation by fetching what it missed', async () => {
    const p = pages();
    const cache = new MemoryCache(p.fetch, 32);
    assert.equal(cache.peek(0x1004n, 1), undefined);
    let runs = 0;
    // A pointer chase: the byte at 0x1004 names the page offset of the next read in the second page.
    const result = await withMemory(cache, () => {
      runs++;
      const first = cache.peek(0x1004n, 1);
      if (!first) return undefined;
      return cache.peek(0x2000n + BigInt(first[0]), 1)?.[0];
    });
    assert.equal(result, 0x04);
    assert.equal(runs, 3);
    cache.clear();
    assert.equal(cache.peek(0x1004n, 1), undefined);
  });
});

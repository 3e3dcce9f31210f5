// Unit tests for ByteQueue: FIFO order across wrap-around, capacity limits, drop and clear.
import assert from 'node:assert/strict';
import { ByteQueue } from '../../../debug-adapter/src/devices/byteQueue';

describe('ByteQueue', () => {
  it('keeps FIFO order across the wrap-around point', () => {
    const q = new ByteQueue(3);
    const out: number[] = [];
    for (let i = 0; i < 10; i++) {
      assert.equal(q.push(i), true);
      if (i % 2 === 1) out.push(q.shift(), q.shift());
    }
    assert.deepEqual(out, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(q.shift(), -1);
    assert.equal(q.peek(), -1);
  });

  it('refuses bytes when full and reports its state', () => {
    const q = new ByteQueue(2);
    assert.equal(q.isEmpty, true);
    q.push(0xaa);
    q.push(0xbb);
    assert.equal(q.isFull, true);
    assert.equal(q.push(0xcc), false);
    assert.equal(q.length, 2);
    assert.equal(q.peek(), 0xaa);
  });

  it('drops at most what it holds and clears completely', () => {
    const q = new ByteQueue(4);
    [1, 2, 3].forEach((b) => q.push(b));
    q.drop(2);
    assert.equal(q.shift(), 3);
    [4, 5].forEach((b) => q.push(b));
    q.drop(10);
    assert.equal(q.length, 0);
    q.push(6);
    q.clear();
    assert.equal(q.isEmpty, true);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new ByteQueue(0), /capacity is 0, expected a positive integer/);
  });
});

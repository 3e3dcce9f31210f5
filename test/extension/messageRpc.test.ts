// Request/response over a message channel: ids, results, errors, unknown ids, disposal, handler failures.
import assert from 'node:assert/strict';
import { RpcEndpoint, RpcError } from '../../protocol/messageRpc';

describe('extension message RPC', () => {
  it('numbers requests and settles each by its id', async () => {
    const sent: any[] = [];
    const rpc = new RpcEndpoint((m) => sent.push(m), 0);
    const a = rpc.request('snapshotPng', {});
    const b = rpc.request('sendTclo', { command: 'ping' });
    assert.deepEqual(sent, [
      { type: 'request', id: 1, method: 'snapshotPng', params: {} },
      { type: 'request', id: 2, method: 'sendTclo', params: { command: 'ping' } },
    ]);
    assert.equal(rpc.handleResponse({ type: 'response', id: 2, ok: false, error: 'guest tools not running' }), true);
    assert.equal(rpc.handleResponse({ type: 'response', id: 1, ok: true, result: { png: 'AA' } }), true);
    assert.deepEqual(await a, { png: 'AA' });
    await assert.rejects(b, (e: Error) => e instanceof RpcError && e.message === 'guest tools not running');
    assert.equal(rpc.handleResponse({ type: 'response', id: 1, ok: true, result: null }), false, 'duplicate answer ignored');
    assert.equal(rpc.pendingCount, 0);
  });

  it('answers incoming requests with the handler result or its error', async () => {
    const sent: any[] = [];
    const rpc = new RpcEndpoint((m) => sent.push(m), 0);
    await rpc.answer(5, () => ({ path: '/ws/shot.png' }));
    await rpc.answer(6, async () => { throw new Error('disk full'); });
    await rpc.answer(7, () => undefined);
    assert.deepEqual(sent, [
      { type: 'response', id: 5, ok: true, result: { path: '/ws/shot.png' } },
      { type: 'response', id: 6, ok: false, error: 'disk full' },
      { type: 'response', id: 7, ok: true, result: null },
    ]);
  });

  it('fails pending requests when the channel closes', async () => {
    const rpc = new RpcEndpoint(() => undefined, 0);
    const p = rpc.request('snapshotPng', {});
    rpc.dispose();
    await assert.rejects(p, /the panel was closed/);
  });

  it('fails a request nobody answers once its timeout passes', async () => {
    const rpc = new RpcEndpoint(() => undefined, 1);
    await assert.rejects(rpc.request('snapshotPng', {}), /no answer to 'snapshotPng'/);
    assert.equal(rpc.pendingCount, 0);
  });
});

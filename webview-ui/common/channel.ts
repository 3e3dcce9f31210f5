// Webview end of the host channel: validates every incoming message, answers requests, and says ready once listening.
import { RpcEndpoint } from '../../protocol/messageRpc';
import type { ResponseEnvelope } from '../../protocol/webviewMessages';
import { vscodeApi } from './vscodeApi';

export interface Channel<In> {
  rpc: RpcEndpoint;
  post(message: unknown): void;
  /** Registers the handler, then posts { type: 'ready' }; messages failing `parse` are dropped. */
  start(handler: (message: Exclude<In, ResponseEnvelope>) => void): void;
}

export function openChannel<In extends { type: string }>(parse: (raw: unknown) => In | undefined): Channel<In> {
  const api = vscodeApi();
  const post = (m: unknown) => api.postMessage(m);
  const rpc = new RpcEndpoint(post);
  return {
    rpc,
    post,
    start(handler) {
      window.addEventListener('message', (event: MessageEvent) => {
        const m = parse(event.data);
        if (!m) return;
        if (m.type === 'response') rpc.handleResponse(m as unknown as ResponseEnvelope);
        else handler(m as Exclude<In, ResponseEnvelope>);
      });
      post({ type: 'ready' });
    },
  };
}

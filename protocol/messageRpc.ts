// Request/response over a postMessage channel: numbered requests, one pending promise each, answered by id.
import type { ResponseEnvelope } from './webviewMessages';

export class RpcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RpcError';
  }
}

interface Pending { resolve(v: unknown): void; reject(e: Error): void; timer?: ReturnType<typeof setTimeout> }

/** Used by both the host and the webview side; `post` is the channel's postMessage. */
export class RpcEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: unknown) => void, private readonly timeoutMs = 30_000) {}

  get pendingCount(): number { return this.pending.size; }

  request<R = unknown>(method: string, params: object): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject };
      // A panel closed mid-request never answers; the timeout keeps callers from waiting forever.
      if (this.timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new RpcError(`no answer to '${method}' within ${this.timeoutMs / 1000} s`));
        }, this.timeoutMs);
      }
      this.pending.set(id, p);
      this.post({ type: 'request', id, method, params });
    });
  }

  /** Settles the matching request; false when the id is unknown (late, duplicate or forged). */
  handleResponse(message: ResponseEnvelope): boolean {
    const p = this.pending.get(message.id);
    if (!p) return false;
    this.pending.delete(message.id);
    if (p.timer) clearTimeout(p.timer);
    if (message.ok) p.resolve(message.result);
    else p.reject(new RpcError(message.error));
    return true;
  }

  /** Runs a handler for an incoming request and posts its result or its error message back. */
  async answer(id: number, handler: () => unknown | Promise<unknown>): Promise<void> {
    let reply: ResponseEnvelope;
    try {
      reply = { type: 'response', id, ok: true, result: (await handler()) ?? null };
    } catch (e) {
      reply = { type: 'response', id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    this.post(reply);
  }

  /** Fails every pending request (the channel is gone). */
  dispose(reason = 'the panel was closed'): void {
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new RpcError(reason));
    }
    this.pending.clear();
  }
}

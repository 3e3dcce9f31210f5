// Output stream for DAP messages that joins everything written in one turn into a single write to the client.
import { Writable } from 'stream';

/**
 * A step answers with a response and a `stopped` event in the same turn. Written apart, they cost the client two
 * wake-ups and the adapter two pipe writes, each tens of microseconds on a virtualised host: a large part of the time
 * one instruction step takes. Corked for the rest of the turn, they leave together.
 */
export class BatchedWriter extends Writable {
  private readonly flushAtExit = () => { while (this.writableCorked) this.uncork(); };

  constructor(private readonly out: Writable) {
    super();
    out.on('error', (e) => this.destroy(e));
    // A process.exit right after the last message must not lose it.
    process.on('exit', this.flushAtExit);
  }

  override write(chunk: unknown, encoding?: unknown, cb?: unknown): boolean {
    if (!this.writableCorked) {
      this.cork();
      process.nextTick(() => this.uncork());
    }
    return super.write(chunk, encoding as BufferEncoding, cb as (e?: Error | null) => void);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.out.write(chunk);
    cb();
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (e?: Error | null) => void): void {
    this.out.write(Buffer.concat(chunks.map((c) => c.chunk)));
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    process.off('exit', this.flushAtExit);
    this.out.end();
    cb();
  }
}

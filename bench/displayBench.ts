// Display benchmarks: full-screen 1024x768x32 frames delivered to an owner, and the cost of encoding and posting a 64x64 update.
import { MessageChannel, type MessagePort } from 'worker_threads';
import { Svga2 } from '../debug-adapter/src/devices/svga2/svga2';
import { Reg } from '../debug-adapter/src/devices/svga2/svgaConstants';
import { VgaCrtc } from '../debug-adapter/src/devices/vga/vgaCrtc';
import { DIRTY_PAGE_SIZE } from '../debug-adapter/src/display/dirtyTracker';
import { encodeFrameUpdate } from '../debug-adapter/src/display/frameEncoder';
import { createFramebuffer } from '../debug-adapter/src/display/framebuffer';
import { DisplayPipeline } from '../debug-adapter/src/vmm/display/displayPipeline';
import { ScreenModel } from '../debug-adapter/src/vmm/display/screenModel';
import { TextScreen } from '../debug-adapter/src/vmm/display/textScreen';

const WIDTH = 1024;
const HEIGHT = 768;
const FULL_FRAMES = 90;
const SMALL_UPDATES = 3000;
const SMALL_SIDE = 64;

export interface DisplayBenchResult {
  /** Full-screen frames per second, from the device's VRAM to the owner's screen copy. */
  fullScreenFps: number;
  /** Milliseconds to encode one 64x64 update and post it (transferred) to another port. */
  smallUpdateMs: number;
}

/** Resolves once `count` messages have arrived on `port`, handing each to `onMessage`. */
function receive(port: MessagePort, count: number, onMessage: (data: unknown) => void): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    port.on('message', (data) => {
      onMessage(data);
      if (++seen === count) resolve();
    });
  });
}

/**
 * A synthetic driver rewrites the whole VRAM each frame and the dirty log reports every page, as a guest
 * repainting its screen would; each frame is encoded, transferred over a MessageChannel (the worker's
 * event path) and applied to the owner's ScreenModel.
 */
async function fullScreenFps(): Promise<number> {
  const svga = new Svga2({ initialWidth: WIDTH, initialHeight: HEIGHT });
  const vram = new Uint8Array(svga.vramSize);
  svga.attachMemory({ vram, fifo: new Uint8Array(svga.fifoSize) });
  svga.writeRegister(Reg.ENABLE, 1);
  const allDirty = new Uint8Array(svga.vramSize / DIRTY_PAGE_SIZE / 8).fill(0xff);
  const pipeline = new DisplayPipeline({
    svga, readVramDirtyLog: () => allDirty, text: new TextScreen(() => new Uint8Array(0x8000), new VgaCrtc()),
  });
  const { port1, port2 } = new MessageChannel();
  const model = new ScreenModel();
  const frameBytes = WIDTH * HEIGHT * 4;
  let short = 0;
  const done = receive(port2, FULL_FRAMES, (data) => {
    const u = model.apply(new Uint8Array(data as ArrayBuffer));
    if (u.rects.reduce((n, r) => n + r.width * r.height, 0) < WIDTH * HEIGHT) short++;
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FULL_FRAMES; i++) {
    vram.fill(i & 0xff, 0, frameBytes);
    const bytes = pipeline.tick()!;
    port1.postMessage(bytes.buffer, [bytes.buffer as ArrayBuffer]);
    // Let the owner side run as it would between worker ticks.
    await new Promise((r) => setImmediate(r));
  }
  await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  port1.close();
  port2.close();
  if (model.frameCount !== FULL_FRAMES || model.sequenceGaps !== 0) throw new Error('display bench: frames were lost');
  if (short > 0) throw new Error(`display bench: ${short} frames did not cover the whole screen`);
  return FULL_FRAMES / seconds;
}

async function smallUpdateMs(): Promise<number> {
  const fb = createFramebuffer(WIDTH, HEIGHT);
  const { port1, port2 } = new MessageChannel();
  const done = receive(port2, SMALL_UPDATES, () => undefined);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < SMALL_UPDATES; i++) {
    const x = (i * 37) % (WIDTH - SMALL_SIDE);
    const y = (i * 23) % (HEIGHT - SMALL_SIDE);
    const bytes = encodeFrameUpdate({ sequence: i, framebuffer: fb, rects: [{ x, y, width: SMALL_SIDE, height: SMALL_SIDE }] });
    port1.postMessage(bytes.buffer, [bytes.buffer as ArrayBuffer]);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / SMALL_UPDATES;
  await done;
  port1.close();
  port2.close();
  return ms;
}

export async function runDisplayBench(): Promise<DisplayBenchResult> {
  return { fullScreenFps: await fullScreenFps(), smallUpdateMs: await smallUpdateMs() };
}

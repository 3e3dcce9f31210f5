// Unit tests for the debug engine over a scripted DebugTarget (no KVM): entry stop, step planning, breakpoint results.
import assert from 'node:assert/strict';
import { EventEmitter } from 'events';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { DebugEngine, type EngineStop } from '../../../debug-adapter/src/debugger/engine';
import type { DebugTarget, DebugTargetEvents } from '../../../debug-adapter/src/debugger/target';
import { segment, zeroRegs, type Regs, type Sregs } from '../../../debug-adapter/src/vmm/cpu/registers';
import type { BreakpointSpec, BreakpointStatus, MemoryResult, RunMode } from '../../../debug-adapter/src/vmm/debugStub/stubTypes';

/** The smallest bootable image (a boot sector: signature 55 AA at 510), so the engine plans it as in a real launch. */
const BOOT_SECTOR = join(mkdtempSync(join(tmpdir(), 'kvmlab-engine-')), 'boot.bin');
const bytes = new Uint8Array(512);
bytes[510] = 0x55;
bytes[511] = 0xaa;
writeFileSync(BOOT_SECTOR, bytes);
const PC = 0x100000n;
/** An image with DWARF, loaded only for its symbols. */
const C_GUEST = join(__dirname, '..', '..', '..', '..', 'build', 'guests', 'multiboot-c.elf');
const SP = 0x8000n;

/** 32-bit flat protected mode, memory scripted byte by byte. */
class FakeTarget extends EventEmitter<DebugTargetEvents> implements DebugTarget {
  readonly info = { pvm: true, caps: {}, format: 'multiboot', notes: [] };
  hasEnded = false;
  exitCount = 0;
  regs: Regs = { ...zeroRegs(), rip: PC, rsp: SP };
  sregs: Sregs = {
    cs: segment({ db: 1, limit: 0xffffffff, g: 1, type: 0xb }), ds: segment(), es: segment(), fs: segment(), gs: segment(), ss: segment(),
    tr: segment(), ldt: segment(), gdt: { base: 0n, limit: 0 }, idt: { base: 0n, limit: 0 },
    cr0: 0x11n, cr2: 0n, cr3: 0n, cr4: 0n, cr8: 0n, efer: 0n, apicBase: 0n,
  };
  memory = new Map<bigint, number>();
  modes: RunMode[] = [];
  resumed = 0;
  breakpointStatus: (specs: BreakpointSpec[]) => BreakpointStatus[] = (specs) => specs.map((s) => ({ id: s.id, verified: true }));

  resume(mode: RunMode = { kind: 'continue' }): void { this.modes.push(mode); this.resumed++; }
  pause(): void { this.emit('stopped', { reason: 'pause' }); }
  async stop(): Promise<void> { this.hasEnded = true; this.emit('ended', { reason: 'stopped' }); }
  async getRegs(): Promise<Regs> { return { ...this.regs }; }
  async setRegs(patch: Partial<Regs>): Promise<void> { Object.assign(this.regs, patch); }
  async getSregs(): Promise<Sregs> { return this.sregs; }
  async setSregs(patch: Partial<Sregs>): Promise<void> { Object.assign(this.sregs, patch); }
  async extraState(): Promise<never> { throw new Error('not scripted'); }
  async setBreakpoints(specs: BreakpointSpec[]): Promise<BreakpointStatus[]> { return this.breakpointStatus(specs); }
  async setStopOnGuestInt3(): Promise<void> { /* nothing to arm in a fake */ }
  async setBackdoorFilter(): Promise<void> { /* nothing to arm in a fake */ }
  async readMemory(address: bigint, length: number): Promise<MemoryResult> {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const b = this.memory.get(address + BigInt(i));
      if (b === undefined) return { ok: false, error: `0x${(address + BigInt(i)).toString(16)} unreadable` };
      bytes[i] = b;
    }
    return { ok: true, bytes };
  }
  async evaluate(): Promise<never> { throw new Error('not scripted'); }
  async assign(): Promise<never> { throw new Error('not scripted'); }
  async writeMemory(_a: bigint, bytes: Uint8Array): Promise<MemoryResult> { return { ok: true, bytes }; }
  sendSerialInput(): void { /* not used */ }
  async sendTclo(): Promise<void> { /* not used */ }
  async keyFrame(): Promise<undefined> { return undefined; }
  async sendKey(): Promise<boolean> { return true; }
  async sendPointer(): Promise<void> { /* not used */ }

  poke(address: bigint, bytes: number[]): void { bytes.forEach((b, i) => this.memory.set(address + BigInt(i), b)); }
}

async function started(target: FakeTarget, stopOnEntry = true): Promise<{ engine: DebugEngine; stops: EngineStop[] }> {
  const engine = new DebugEngine(async () => target);
  const stops: EngineStop[] = [];
  engine.on('stopped', (s) => stops.push(s));
  await engine.launch({ kernel: BOOT_SECTOR, format: 'auto', memoryMiB: 16, cmdline: '', modules: [], serial: 'none', irqchip: true, stopOnEntry });
  await engine.configurationDone();
  return { engine, stops };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('debug engine (scripted target)', () => {
  it('reports the entry stop with the CPU mode, or resumes when stopOnEntry is off', async () => {
    const t = new FakeTarget();
    const { stops } = await started(t);
    await settle();
    assert.equal(stops[0].reason, 'entry');
    assert.match(stops[0].description ?? '', /32-bit protected mode/);
    const t2 = new FakeTarget();
    await started(t2, false);
    assert.deepEqual(t2.modes, [{ kind: 'continue' }]);
    assert.equal(t2.resumed, 1);
  });

  it('plans next over a call as a run to the following instruction, and a plain step otherwise', async () => {
    const t = new FakeTarget();
    const { engine } = await started(t);
    t.poke(PC, [0xe8, 0x10, 0, 0, 0, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90]);
    await engine.step('over');
    assert.deepEqual(t.modes.at(-1), { kind: 'until', address: PC + 5n });
    t.emit('stopped', { reason: 'step' });
    t.poke(PC, [0x90]);
    await engine.step('over');
    assert.deepEqual(t.modes.at(-1), { kind: 'step' });
  });

  it('steps out to the caller found by frame pointers, or to the return address on the stack', async () => {
    const t = new FakeTarget();
    const { engine } = await started(t);
    const fp = SP + 0x20n;
    t.regs.rbp = fp;
    t.poke(fp, [0, 0, 0, 0]); // saved frame pointer 0: the chain ends after this caller
    t.poke(fp + 4n, [0x49, 0x00, 0x10, 0x00]);
    t.emit('stopped', { reason: 'pause' }); // the engine reads registers afresh after every stop
    await engine.step('out');
    assert.deepEqual(t.modes.at(-1), { kind: 'until', address: 0x100049n });
    t.regs.rbp = 0n;
    t.poke(SP, [0x66, 0x00, 0x10, 0x00]);
    t.emit('stopped', { reason: 'step' });
    await engine.step('out');
    assert.deepEqual(t.modes.at(-1), { kind: 'until', address: 0x100066n });
  });

  it('reports a source line with several addresses as one breakpoint, verified when any address is', async () => {
    const t = new FakeTarget();
    const { engine } = await started(t);
    t.breakpointStatus = (specs) => specs.map((s, i) => ({ id: s.id, verified: i > 0, message: i > 0 ? undefined : 'not mapped' }));
    const r = await engine.setInstructionBreakpoints([{ address: 0x100073n }, { address: 0x100044n }]);
    assert.deepEqual(r.map((b) => b.verified), [false, true]);
    assert.equal(r[0].message, 'not mapped');
    const f = await engine.setFunctionBreakpoints([{ name: 'kmain' }]);
    assert.equal(f[0].verified, false);
    assert.match(f[0].message ?? '', /no ELF symbols are loaded/);
  });

  it('checks C conditions of pending breakpoints, resuming in the same run mode when none holds', async () => {
    const t = new FakeTarget();
    const engine = new DebugEngine(async () => t);
    const stops: EngineStop[] = [];
    engine.on('stopped', (s) => stops.push(s));
    // Symbols with DWARF (the C guest's), so `n == 2` is a C condition the main thread checks.
    await engine.launch({ kernel: BOOT_SECTOR, symbols: C_GUEST, format: 'auto', memoryMiB: 16, cmdline: '', modules: [], serial: 'none', irqchip: true, stopOnEntry: true });
    await engine.configurationDone();
    await settle();
    let n = 5;
    const asked: string[] = [];
    engine.setStopEvaluator({ truth: async (text) => { asked.push(text); return n === 2; }, text: async () => String(n) });
    const [bp] = await engine.setInstructionBreakpoints([{ address: 0x100044n, condition: 'n == 2' }]);
    t.poke(PC, [0xe8, 0x10, 0, 0, 0, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90]);
    await engine.step('over', 'instruction');
    const stepOver = t.modes.at(-1);
    assert.equal(stepOver?.kind, 'until');
    const resumed = t.resumed;
    t.emit('stopped', { reason: 'breakpoint', breakpointIds: [], pendingIds: [bp.id] });
    await settle(); await settle(); await settle();
    assert.deepEqual(asked, ['n == 2']);
    assert.equal(t.resumed, resumed + 1);
    assert.deepEqual(t.modes.at(-1), stepOver);
    assert.equal(stops.length, 1);
    n = 2;
    t.emit('stopped', { reason: 'breakpoint', breakpointIds: [], pendingIds: [bp.id] });
    for (let i = 0; i < 5 && stops.length < 2; i++) await settle();
    assert.equal(stops[1].reason, 'breakpoint');
    assert.deepEqual(stops[1].breakpointIds, [bp.id]);
  });

  it('reports the end of the VM as exited and terminated', async () => {
    const t = new FakeTarget();
    const { engine } = await started(t);
    const events: string[] = [];
    engine.on('exited', (code) => events.push(`exited ${code}`));
    engine.on('terminated', () => events.push('terminated'));
    t.emit('ended', { reason: 'debugExit', status: 7 });
    assert.deepEqual(events, ['exited 7', 'terminated']);
  });
});

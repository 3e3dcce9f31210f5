// SourceVariables over the multiboot-c image with its loaded bytes as memory: globals, C evaluation and writes, no VM.
import assert from 'node:assert/strict';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DebugInfo } from '../../../debug-adapter/src/debugger/symbols';
import { SourceVariables, type VariablesHost } from '../../../debug-adapter/src/debugger/variables/sourceVariables';
import type { Regs } from '../../../debug-adapter/src/vmm/cpu/registers';

const ELF = join(__dirname, '..', '..', '..', '..', 'build', 'guests', 'multiboot-c.elf');
const PT_LOAD = 1;
/** Guest memory modelled as one window over the image's load address. */
const WINDOW = 0x10000;

function imageHost(): VariablesHost & { mem: Uint8Array; base: bigint; writes: number } {
  const bytes = new Uint8Array(readFileSync(ELF));
  const info = DebugInfo.fromElf(bytes);
  const segs = info.elf.segments.filter((s) => s.type === PT_LOAD);
  const base = segs.reduce((m, s) => (s.vaddr < m ? s.vaddr : m), segs[0].vaddr);
  const mem = new Uint8Array(WINDOW);
  for (const s of segs) mem.set(bytes.subarray(s.offset, s.offset + s.filesz), Number(s.vaddr - base));
  const regs = Object.fromEntries(['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags']
    .map((r) => [r, 0n])) as unknown as Regs;
  const host = {
    mem, base, writes: 0,
    debugInfo: () => info,
    registers: async () => regs,
    framePcs: async () => [],
    async readMemory(address: bigint, length: number) {
      const off = Number(address - base);
      return address >= base && off + length <= WINDOW ? mem.slice(off, off + length) : undefined;
    },
    async writeMemory(address: bigint, data: Uint8Array) {
      mem.set(data, Number(address - base));
      host.writes++;
    },
    async writeRegister() { throw new Error('no registers here'); },
    symbolLabel: (address: bigint) => info.symbols.lookup(address)?.name,
  };
  return host;
}

describe('C variables over the multiboot-c image', () => {
  it('lists the Globals scope with initial values when no frame is known', async () => {
    const vars = new SourceVariables(imageHost());
    const scopes = await vars.scopes(0);
    assert.deepEqual(scopes.map((s) => s.name), ['Globals']);
    const globals = await vars.variables({ variablesReference: scopes[0].variablesReference });
    const byName = new Map(globals.map((v) => [v.name, v]));
    assert.equal(byName.get('g_counter')!.value, '0');
    assert.equal(byName.get('g_counter')!.type, 'uint32_t');
    assert.equal(byName.get('g_anchor')!.value, '{x=-7, y=9}');
    assert.deepEqual(byName.get('g_anchor')!.presentationHint?.attributes, ['readOnly']);
    assert.match(byName.get('g_triangle')!.value, /^\{name="triangle", origin=\{\.\.\.\}, corners=\[3\], flags=5 '\\x05', color=4660, anchor=0x[0-9a-f]+\}$/);
    const tri = await vars.variables({ variablesReference: byName.get('g_triangle')!.variablesReference });
    assert.deepEqual(tri.map((v) => v.name), ['name', 'origin', 'corners', 'flags', 'color', 'anchor']);
    const corners = await vars.variables({ variablesReference: tri[2].variablesReference, filter: 'indexed', start: 1, count: 2 });
    assert.deepEqual(corners.map((v) => [v.name, v.value]), [['[1]', '{x=4, y=0}'], ['[2]', '{x=0, y=3}']]);
  });

  it('evaluates C over globals and hands other text to the machine-level evaluator', async () => {
    const vars = new SourceVariables(imageHost());
    assert.equal((await vars.evaluate('g_triangle.corners[2].y * 2', 0))!.result, '6');
    assert.equal((await vars.evaluate('g_triangle.anchor->x', 0))!.result, '-7');
    const anchor = (await vars.evaluate('g_triangle.anchor', 0))!;
    assert.equal(anchor.type, 'const struct point *');
    assert.equal(anchor.memoryReference, anchor.result);
    assert.equal((await vars.evaluate('sizeof(struct shape)', 0))!.result, '52');
    assert.equal((await vars.evaluate('g_triangle.color, x', 0))!.result, '0x1234');
    assert.equal((await vars.evaluate('g_triangle.color,d', 0))!.result, '4660');
    const hexShape = (await vars.evaluate('g_triangle,x', 0))!;
    const members = await vars.variables({ variablesReference: hexShape.variablesReference });
    assert.equal(members.find((v) => v.name === 'origin')!.value, '{x=0x1, y=0x2}');
    assert.equal(members.find((v) => v.name === 'color')!.value, '0x1234');
    assert.equal(await vars.evaluate('eax', 0), undefined);
    assert.equal(await vars.evaluate('[esp+4]', 0), undefined);
    assert.equal(await vars.evaluate('$eax + 1', 0), undefined);
    await assert.rejects(vars.evaluate('g_triangle.corners[1].z', 0), /struct point has no member named 'z'/);
  });

  it('sets globals by expression and through a scope, announcing the change', async () => {
    const host = imageHost();
    const vars = new SourceVariables(host);
    let invalidated = 0;
    vars.on('invalidated', () => invalidated++);
    const r = await vars.setExpression('g_triangle.origin.x', 'g_triangle.color + 1', 0);
    assert.equal(r.value, '4661');
    assert.equal((await vars.evaluate('g_triangle.origin.x', 0))!.result, '4661');
    const [globals] = await vars.scopes(0);
    const counter = await vars.setVariable(globals.variablesReference, 'g_counter', '0x10');
    assert.equal(counter.value, '16');
    const name = (await vars.evaluate('g_triangle.name', 0))!;
    assert.equal((await vars.setVariable(name.variablesReference, '[0]', "'T'")).value, "84 'T'");
    assert.equal((await vars.evaluate('g_triangle.name', 0))!.result, '"Triangle"');
    await assert.rejects(vars.setVariable(name.variablesReference, 'x', '1'), /there is no variable 'x' here/);
    assert.equal(invalidated, 3);
    assert.equal(host.writes, 3);
    await assert.rejects(vars.setExpression('g_triangle', '1', 0), /only numbers, enums and pointers can be set/);
    await assert.rejects(vars.setExpression('g_counter', 'nonsense value', 0), /is not a value for uint32_t/);
  });

  it('leaves evaluation to the machine level while the vCPU runs', async () => {
    const host = imageHost();
    host.registers = () => Promise.reject(new Error('the vCPU is running: pause it first'));
    const vars = new SourceVariables(host);
    assert.equal(await vars.evaluate('g_counter', 0), undefined);
  });

  it('drops handles after a stop', async () => {
    const vars = new SourceVariables(imageHost());
    const [globals] = await vars.scopes(0);
    vars.reset(true);
    await assert.rejects(vars.variables({ variablesReference: globals.variablesReference }), /no longer valid/);
  });
});

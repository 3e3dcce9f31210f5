// The Registers scope of a caller frame: the registers the unwinder recovered for it, read-only, with a note saying so.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugEngine } from '../debugger/engine';
import { formatMemoryReference } from '../debugger/memoryReference';
import type { SourceVariables } from '../debugger/variables/sourceVariables';

const READ_ONLY: DebugProtocol.VariablePresentationHint = { attributes: ['readOnly'] };
/** Registers that hold addresses, which the Memory view can open. */
const POINTER_REGISTERS = new Set(['rip', 'eip', 'rsp', 'esp', 'rbp', 'ebp']);

export async function callerRegisterVariables(frameIndex: number, vars: SourceVariables, engine: DebugEngine): Promise<DebugProtocol.Variable[]> {
  const unwound = await vars.frameRegisters(frameIndex).catch(() => undefined);
  // Without DWARF unwind information only the frame's return address is known (from the frame-pointer walk).
  const pc = (await engine.frames())[frameIndex]?.address;
  const regs = unwound ?? (pc !== undefined ? [{ name: 'pc', value: pc }] : []);
  const width = regs.some((r) => r.value > 0xffffffffn || r.name.startsWith('r')) ? 16 : 8;
  const note: DebugProtocol.Variable = {
    name: 'note',
    value: unwound
      ? `caller frame ${frameIndex}: registers as the unwinder recovered them (pc is the return address); the rest are not known here`
      : `caller frame ${frameIndex}: only the return address is known (no DWARF unwind information for this frame)`,
    variablesReference: 0,
    presentationHint: READ_ONLY,
  };
  return [note, ...regs.map((r) => ({
    name: r.name,
    value: `0x${r.value.toString(16).padStart(width, '0')}`,
    variablesReference: 0,
    memoryReference: POINTER_REGISTERS.has(r.name) || r.name === 'pc' ? formatMemoryReference(r.value) : undefined,
    presentationHint: READ_ONLY,
  }))];
}

// DAP data breakpoints: what a variable, watch expression or typed address names in memory, and the data ids for it.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DataBreakpointRequest } from '../debugger/engine';
import { formatMemoryReference } from '../debugger/memoryReference';
import { dataWatchProblem } from '../vmm/debugStub/debugRegisters';

export interface MemoryRange { address: bigint; size: number }

/** How the session finds memory behind a name: C variables and expressions, and machine-level address expressions. */
export interface DataLocator {
  variable(ref: number, name: string): Promise<MemoryRange | undefined>;
  expression(text: string, frameIndex: number): Promise<MemoryRange | undefined>;
  address(text: string): Promise<bigint>;
}

/** A data id is "<address>/<bytes>"; every access type the x86 debug registers can watch is offered. */
export async function dataBreakpointInfo(
  args: DebugProtocol.DataBreakpointInfoArguments, frameIndex: number, locate: DataLocator,
): Promise<DebugProtocol.DataBreakpointInfoResponse['body']> {
  let range: MemoryRange | undefined;
  if (args.asAddress) {
    range = { address: await locate.address(args.name), size: args.bytes ?? 1 };
  } else if (args.variablesReference !== undefined) {
    range = await locate.variable(args.variablesReference, args.name);
  } else {
    range = await locate.expression(args.name, frameIndex);
  }
  if (!range) return { dataId: null, description: `'${args.name}' is not in guest memory (a register or a computed value), so it cannot be watched` };
  const size = args.bytes ?? range.size;
  const problem = dataWatchProblem(range.address, size, 'write');
  if (problem) return { dataId: null, description: `'${args.name}' (${size} bytes at ${formatMemoryReference(range.address)}): ${problem}` };
  return {
    dataId: `${formatMemoryReference(range.address)}/${size}`,
    description: `${args.name} (${size} bytes at ${formatMemoryReference(range.address)})`,
    accessTypes: ['write', 'readWrite'],
    canPersist: false,
  };
}

/** DAP data breakpoints as engine requests; an id this adapter did not hand out is a one-line error. */
export function dataRequests(list: DebugProtocol.DataBreakpoint[]): (DataBreakpointRequest | string)[] {
  return list.map((b) => {
    const m = /^(0x[0-9a-f]+)\/(\d+)$/i.exec(b.dataId);
    if (!m) return `'${b.dataId}' is not a data breakpoint id of this debugger (expected address/bytes)`;
    return {
      address: BigInt(m[1]), length: Number(m[2]), access: b.accessType ?? 'write',
      condition: b.condition, hitCondition: b.hitCondition,
    };
  });
}

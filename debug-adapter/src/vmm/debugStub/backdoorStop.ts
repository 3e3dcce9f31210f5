// The "Backdoor command" exception filter: which backdoor calls stop the vCPU, and the words the stop is shown with.
import { BACKDOOR_COMMANDS, CMD, HB_COMMAND_NAMES } from '../../devices/vmwareBackdoor/commands';
import type { BackdoorRecord } from '../../devices/vmwareBackdoor/records';
import type { Out32, Regs32 } from '../../devices/vmwareBackdoor/registers32';
import type { StopDetail } from './stubTypes';

/** Which calls stop: every call, or those whose command (LB/hypercall) or HB command number is listed. */
export interface BackdoorStopFilter {
  all: boolean;
  commands: number[];
  hbCommands: number[];
}

/** The exceptionId of backdoor stops (DAP exceptionInfo). */
export const BACKDOOR_EXCEPTION_ID = 'backdoor';
const HB_MESSAGE = 0;
const COMMAND_LIMIT = 0xffff;

/**
 * Parses the filter's condition: command names or numbers, comma-separated; empty means every call. MESSAGE also
 * matches high-bandwidth transfers, which carry GuestRPC message payloads.
 */
export function parseBackdoorCondition(condition: string | undefined): BackdoorStopFilter {
  const tokens = (condition ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  const filter: BackdoorStopFilter = { all: tokens.length === 0, commands: [], hbCommands: [] };
  for (const token of tokens) {
    const upper = token.toUpperCase();
    const number = /^(0x[0-9a-f]+|\d+)$/i.test(token) ? Number(token) : undefined;
    const named = BACKDOOR_COMMANDS.find((c) => c.name === upper);
    const hb = HB_COMMAND_NAMES.indexOf(upper);
    if (number !== undefined && number <= COMMAND_LIMIT) filter.commands.push(number);
    else if (named) filter.commands.push(named.id);
    else if (hb >= 0) filter.hbCommands.push(hb);
    else {
      throw new Error(`backdoor command '${token}' is unknown: expected command names or numbers, comma-separated (e.g. MESSAGE, GETVERSION)`);
    }
    if (named?.id === CMD.MESSAGE) filter.hbCommands.push(HB_MESSAGE);
  }
  return filter;
}

export function matchesBackdoorFilter(filter: BackdoorStopFilter, record: BackdoorRecord): boolean {
  if (record.command < 0) return false;
  if (filter.all) return true;
  return record.transport === 'hb' ? filter.hbCommands.includes(record.command) : filter.commands.includes(record.command);
}

const hex = (v: number | bigint | undefined) => (v === undefined ? '-' : `0x${(typeof v === 'number' ? v >>> 0 : v).toString(16)}`);

function registers(r: Regs32 | Out32, names: readonly (keyof Regs32)[]): string {
  return names.filter((n) => r[n] !== undefined).map((n) => `${n}=${hex(r[n])}`).join(' ');
}

const IN_REGS: readonly (keyof Regs32)[] = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'];
const OUT_REGS: readonly (keyof Regs32)[] = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'];

/** The stop as the user reads it: the command by name, then what the call was, where it came from and what it returned. */
export function backdoorStopDetail(record: BackdoorRecord): StopDetail {
  const d = record.decoded;
  const parts = [
    `backdoor call ${record.name} (${record.command}) over ${record.transport.toUpperCase()} from the instruction at rip ${hex(record.rip)}`,
    `in: ${registers(record.in, IN_REGS)}`,
    `out: ${registers(record.out, OUT_REGS) || 'unchanged'}`,
  ];
  if (d) {
    const decoded = [
      d.protocol && `${d.protocol}`, d.channel !== undefined && `channel ${d.channel}`, d.type, d.status?.length && `status ${d.status.join('|')}`,
      d.text !== undefined && JSON.stringify(d.text), d.bytes !== undefined && `${d.bytes} bytes`, d.unsupported && 'unsupported', d.note,
    ].filter((x): x is string => typeof x === 'string' && x !== '');
    if (decoded.length > 0) parts.push(`decoded: ${decoded.join(', ')}`);
  }
  return { reason: 'exception', exceptionId: BACKDOOR_EXCEPTION_ID, text: `Backdoor ${record.name}`, description: parts.join('; ') };
}

/**
 * Watches backdoor records in the vCPU worker. The device hands every record to the sink during the I/O exit; a
 * matching call leaves a pending stop that the run loop takes right after that exit.
 */
export class BackdoorWatch {
  private filter: BackdoorStopFilter | undefined;
  /** A stop waiting for the run loop; undefined almost always. */
  pending: StopDetail | undefined;

  /** `undefined` turns the filter off. */
  setFilter(filter: BackdoorStopFilter | undefined): void {
    this.filter = filter;
    if (!filter) this.pending = undefined;
  }

  note(entry: { type: string }): void {
    if (this.filter && entry.type === 'call' && matchesBackdoorFilter(this.filter, entry as BackdoorRecord)) {
      this.pending ??= backdoorStopDetail(entry as BackdoorRecord);
    }
  }

  take(): StopDetail | undefined {
    const p = this.pending;
    this.pending = undefined;
    return p;
  }
}

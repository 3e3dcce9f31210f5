// The `x/NFU ADDR` and `xp/NFU ADDR` console commands: memory as hex, decimal or characters, N units per request.

export interface ExamineCommand {
  physical: boolean;
  count: number;
  format: 'x' | 'd' | 'u' | 'c';
  unit: 1 | 2 | 4 | 8;
  address: string;
}

const UNITS: Record<string, 1 | 2 | 4 | 8> = { b: 1, h: 2, w: 4, g: 8 };
/** Refuse dumps larger than this: the console is not a hex editor. */
const MAX_BYTES = 4096;
const PER_LINE_BYTES = 16;

/** Undefined when the text is not an x/xp command; throws for a malformed one. */
export function parseExamine(text: string): ExamineCommand | undefined {
  const m = /^(xp?)(?:\/(\d*)([xduc]?)([bhwg]?))?\s+(.+)$/.exec(text.trim());
  if (!m) return undefined;
  const cmd: ExamineCommand = {
    physical: m[1] === 'xp',
    count: m[2] ? Number(m[2]) : 1,
    format: (m[3] || 'x') as ExamineCommand['format'],
    unit: m[3] === 'c' && !m[4] ? 1 : UNITS[m[4] || 'w'],
    address: m[5].trim(),
  };
  if (cmd.count < 1 || cmd.count * cmd.unit > MAX_BYTES) {
    throw new Error(`${m[1]}: ${cmd.count} units of ${cmd.unit} bytes is outside 1..${MAX_BYTES} bytes`);
  }
  return cmd;
}

function formatUnit(bytes: Uint8Array, at: number, unit: number, format: ExamineCommand['format']): string {
  let v = 0n;
  for (let i = unit - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
  switch (format) {
    case 'x': return `0x${v.toString(16).padStart(unit * 2, '0')}`;
    case 'u': return v.toString();
    case 'd': return BigInt.asIntN(unit * 8, v).toString();
    case 'c': { const c = Number(v & 0xffn); return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `'\\x${c.toString(16).padStart(2, '0')}'`; }
  }
}

/** Reads and formats; the address may be any expression (registers, symbols). */
export async function examineMemory(
  cmd: ExamineCommand,
  read: (ref: string, length: number) => Promise<{ address: string; bytes: Uint8Array }>,
  evaluate: (text: string) => Promise<bigint>,
): Promise<string> {
  const address = await evaluate(cmd.address);
  const length = cmd.count * cmd.unit;
  const { bytes } = await read(`${cmd.physical ? 'phys:' : ''}0x${address.toString(16)}`, length);
  const lines: string[] = [];
  const perLine = Math.max(1, PER_LINE_BYTES / cmd.unit);
  for (let i = 0; i < cmd.count; i += perLine) {
    const units: string[] = [];
    for (let j = i; j < Math.min(cmd.count, i + perLine); j++) units.push(formatUnit(bytes, j * cmd.unit, cmd.unit, cmd.format));
    lines.push(`${cmd.physical ? 'phys ' : ''}0x${(address + BigInt(i * cmd.unit)).toString(16).padStart(8, '0')}: ${units.join(' ')}`);
  }
  return lines.join('\n');
}

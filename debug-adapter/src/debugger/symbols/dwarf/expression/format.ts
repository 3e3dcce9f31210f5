// Renders DWARF expressions as text ("DW_OP_breg7 (rsp): 8; DW_OP_deref") for hovers, logs and tests.
import { SymbolsError } from '../../errors';
import { DwarfArch, dwarfRegisterName } from '../../dwarfRegisters';
import { DW_OP, DecodedOp, ExprEncoding, decodeExpression, opName } from './opcodes';

/** One line per expression; register numbers are named when the architecture is known. */
export function formatExpression(expr: Uint8Array, enc: ExprEncoding, arch?: DwarfArch): string {
  let ops: DecodedOp[];
  try {
    ops = decodeExpression(expr, enc);
  } catch (err) {
    if (err instanceof SymbolsError) return `<${err.message}>`;
    throw err;
  }
  return ops.map((d) => formatOp(d, enc, arch)).join('; ');
}

/** Operation names in order, nested blocks (DW_OP_entry_value) flattened after their owner. */
export function expressionOpNames(expr: Uint8Array, enc: ExprEncoding): string[] {
  const out: string[] = [];
  for (const d of decodeExpression(expr, enc)) {
    out.push(opName(d.op));
    if (d.op === DW_OP.entry_value || d.op === DW_OP.GNU_entry_value) out.push(...expressionOpNames(d.operands[0] as Uint8Array, enc));
  }
  return out;
}

function formatOp(d: DecodedOp, enc: ExprEncoding, arch?: DwarfArch): string {
  const name = opName(d.op);
  const regNum = regOperand(d);
  const reg = regNum !== undefined && arch ? ` (${dwarfRegisterName(arch, regNum) ?? 'r' + regNum})` : '';
  const ints = d.operands.filter((o): o is bigint => typeof o === 'bigint');
  const blocks = d.operands.filter((o): o is Uint8Array => typeof o !== 'bigint');
  if (d.op === DW_OP.entry_value || d.op === DW_OP.GNU_entry_value) {
    return `${name}: (${formatExpression(blocks[0], enc, arch)})`;
  }
  const parts: string[] = [];
  if (d.op === DW_OP.bregx || d.op === DW_OP.regx) parts.push(...ints.slice(1).map(String));
  else if (d.op >= DW_OP.breg0 && d.op <= DW_OP.breg31) parts.push(...ints.map(String));
  else if (d.op === DW_OP.addr) parts.push('0x' + ints[0].toString(16));
  else parts.push(...ints.map(String));
  parts.push(...blocks.map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')));
  return `${name}${reg}${parts.length ? ': ' + parts.join(', ') : ''}`;
}

function regOperand(d: DecodedOp): number | undefined {
  if (d.op >= DW_OP.reg0 && d.op <= DW_OP.reg31) return d.op - DW_OP.reg0;
  if (d.op >= DW_OP.breg0 && d.op <= DW_OP.breg31) return d.op - DW_OP.breg0;
  if (d.op === DW_OP.regx || d.op === DW_OP.bregx || d.op === DW_OP.regval_type || d.op === DW_OP.GNU_regval_type) {
    return Number(d.operands[0] as bigint);
  }
  return undefined;
}

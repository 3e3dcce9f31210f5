// Writing a new value into a C lvalue: memory or a register of the innermost frame, bitfields read-modify-written.
import { stripTypedefs, typeName, type DwarfType } from '../symbols';
import { isPointer, scalarClass } from './cTypes';
import { encodeScalar, insertBits, littleEndian, ValueError, type CValue } from './cValue';
import { constant, scalar } from './cEvaluator';
import { loadBytes, type ValueReader } from './valueAccess';

export interface AssignTarget extends ValueReader {
  writeMemory(address: bigint, bytes: Uint8Array): Promise<void>;
  /** Writes the low `size` bytes of a register of the innermost frame, keeping its other bits. */
  writeRegister(frame: number, reg: number, value: bigint, size: number): Promise<void>;
}

/** An enumerator of the target's enum type named by `text`, as a value of that type. */
export function enumeratorValue(t: DwarfType, text: string, r: ValueReader): CValue | undefined {
  const s = r.complete(stripTypedefs(t));
  if (s.kind !== 'enum') return undefined;
  const e = s.enumerators.find((x) => x.name === text.trim());
  return e ? constant(t, e.value) : undefined;
}

export async function assign(target: CValue, value: CValue, env: AssignTarget): Promise<void> {
  if (target.problem) throw new ValueError(`cannot change a value that is ${target.problem.replace(/^<|>$/g, '')}`);
  const place = target.place;
  if (!place) throw new ValueError('this value cannot be changed: it is computed, not stored in memory or a register');
  const cls = scalarClass(target.type);
  if (cls === undefined) throw new ValueError(`only numbers, enums and pointers can be set, not a value of type ${typeName(target.type)}`);
  if (cls === 'pointer' && !isPointer(value.type) && scalarClass(value.type) === 'float') {
    throw new ValueError('a pointer cannot be set from a floating-point number');
  }
  let bytes = encodeScalar(target.type, await scalar(value, env));
  if (target.bitField) {
    const storage = await loadBytes(target, env);
    bytes = insertBits(storage, target.bitField, littleEndian(bytes));
  }
  if (place.kind === 'memory') await env.writeMemory(place.address, bytes);
  else await env.writeRegister(place.frame, place.reg, littleEndian(bytes), bytes.length);
}

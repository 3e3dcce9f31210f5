// Enumerator constants (RED, STATE_IDLE) usable in expressions, found in the enum types each unit declares at top level.
import { stripTypedefs, type DebugInfo, type DwarfType } from '../symbols';
import { DW_TAG } from '../symbols/dwarf/tagsAndAttributes';

export interface EnumeratorConstant { type: DwarfType; value: bigint }

const INDEX = new WeakMap<DebugInfo, Map<string, EnumeratorConstant>>();

/** Enumerators by name, built once per image; the first unit to declare a name wins. */
export function enumeratorIndex(info: DebugInfo): Map<string, EnumeratorConstant> {
  let index = INDEX.get(info);
  if (index) return index;
  index = new Map();
  for (const unit of info.dwarf.compileUnits()) {
    const root = info.dwarf.root(unit);
    if (!root) continue;
    for (const die of root.children) {
      const name = die.tag === DW_TAG.enumeration_type || die.tag === DW_TAG.typedef ? info.dwarf.name(die) : undefined;
      if (!name) continue;
      // A typedef names an anonymous enum (typedef enum { ... } state_t); a tagged enum is found by its tag.
      const type = info.typeByName(die.tag === DW_TAG.typedef ? name : `enum ${name}`);
      const e = type ? info.completeType(stripTypedefs(type)) : undefined;
      if (!type || e?.kind !== 'enum') continue;
      for (const x of e.enumerators) if (!index.has(x.name)) index.set(x.name, { type, value: x.value });
    }
  }
  INDEX.set(info, index);
  return index;
}

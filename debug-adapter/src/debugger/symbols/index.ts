// Public entry point of the symbol, DWARF and unwind readers.
export { DebugInfo } from './debugInfo';
export type {
  AddressRange, BacktraceFrame, DebugInfoOptions, FrameContext, FunctionInfo, InlineFrame, LineAddresses, Scopes,
  SourceLocation,
} from './debugInfoTypes';
export { SymbolsError } from './errors';
export { ElfFile } from './elf/elfFile';
export type { ElfSection, ElfSegment } from './elf/elfFile';
export { SymbolTable } from './elf/symbolTable';
export type { ElfSymbol, SymbolMatch } from './elf/symbolTable';
export type { LocationDesc, Variable } from './dwarf/variables';
export type {
  ArrayType, BaseType, DwarfType, EnumType, FunctionType, Member, PointerType, QualifiedType, StructType, TypedefType,
} from './dwarf/types';
export { stripTypedefs, typeName, typeSize, VOID } from './dwarf/types';
export { evaluateLocation } from './dwarf/expression/evaluator';
export type { ExpressionContext, LocationResult, Piece, SimpleLocation } from './dwarf/expression/evaluator';
export { readLocationBytes } from './dwarf/expression/locationValue';
export type { LocationBytes } from './dwarf/expression/locationValue';
export { formatExpression } from './dwarf/expression/format';
export {
  UNWIND_REGS, dwarfRegisterName, dwarfRegisterNumber, dwarfToRegs, regsToDwarf,
} from './dwarfRegisters';
export type { DwarfArch } from './dwarfRegisters';
export type { CfaRule, RegisterRule, UnwindRow } from './unwind/cfaMachine';
export { framePointerStep } from './unwind/unwinder';
export type { ReadMemory, UnwoundFrame } from './unwind/unwinder';

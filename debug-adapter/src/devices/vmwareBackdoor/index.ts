// Public surface of the VMware backdoor device for the VMM, the debugger and the inspector.
export { VmwareBackdoor, type BackdoorCallResult, type BackdoorStats } from './backdoor';
export { systemClock, resolveConfig, DEFAULT_BUS_KHZ, type BackdoorClock, type BackdoorConfig, type BackdoorHooks, type ScreenSize } from './config';
export { deriveVmUuid, parseUuid, uuidFromName, formatUuid } from './uuid';
export { pagedMemoryAccess, type VirtualMemoryAccess, type HbDirection } from './highBandwidth';
export {
  BackdoorRecordRing, DEFAULT_RING_CAPACITY, traceEntryToJson, type BackdoorRecord, type BackdoorTraceEntry, type BackdoorTransport,
  type DecodedCall, type RecordSink, type RpcRecord,
} from './records';
export {
  BACKDOOR_COMMANDS, CMD, commandInfo, commandName, messageTypeName, statusWords, protocolName, hbCommandName,
  vmmouseSubcommandName, type BackdoorCommandInfo, type RpcProtocol,
} from './commands';
export { personalityCpuid, vmwareCpuidLeaves, type CpuidEntry, type CpuidPersonality, type HypercallMode } from './cpuidLeaves';
export { POINTER_LEFT, POINTER_MIDDLE, POINTER_RIGHT, type PointerEvent } from './vmmouse';
export type { Regs32, Out32 } from './registers32';

// The backdoor command table (numbers, names, one-line meanings) and decoders the device and the inspector share.
import {
  MSG_STATUS_CLOSED, MSG_STATUS_CPT, MSG_STATUS_DORECV, MSG_STATUS_HB, MSG_STATUS_POWEROFF, MSG_STATUS_SUCCESS,
  MSG_STATUS_TIMEOUT, MSG_STATUS_UNSENT, RPCI_PROTOCOL, TCLO_PROTOCOL, VMMOUSE_CMD_DISABLE, VMMOUSE_CMD_READ_ID,
  VMMOUSE_CMD_REQUEST_ABSOLUTE, VMMOUSE_CMD_REQUEST_RELATIVE,
} from './constants';

/** Command numbers (ECX low 16) this device answers or that guests are known to send. */
export const CMD = {
  GETMHZ: 1,
  GETSELLENGTH: 6,
  GETNEXTPIECE: 7,
  SETSELLENGTH: 8,
  SETNEXTPIECE: 9,
  GETVERSION: 10,
  GETGUIOPTIONS: 13,
  SETGUIOPTIONS: 14,
  GETSCREENSIZE: 15,
  GETHWVERSION: 17,
  GETUUID: 19,
  GETMEMSIZE: 20,
  GETTIME: 23,
  STOPCATCHUP: 24,
  MESSAGE: 30,
  ABSPOINTER_DATA: 39,
  ABSPOINTER_STATUS: 40,
  ABSPOINTER_COMMAND: 41,
  GETHZ: 45,
  GETTIMEFULL: 46,
  GETTIMEFULL_WITH_LAG: 55,
  GET_VCPU_INFO: 68,
  ABSPOINTER_RESTRICT: 86,
  STEALCLOCK: 91,
  PRECISIONCLOCK: 97,
} as const;

export interface BackdoorCommandInfo {
  id: number;
  name: string;
  summary: string;
  /** Marked "CPL 0 only" by VMware. */
  cpl0Only?: boolean;
  /** A number VMware lists as no longer in use. */
  unused?: boolean;
}

type Row = [id: number, name: string, summary: string, tag?: 'cpl0' | 'unused'];

const ROWS: readonly Row[] = [
  [1, 'GETMHZ', 'CPU speed in MHz'],
  [2, 'APMFUNCTION', 'legacy BIOS APM services', 'cpl0'],
  [3, 'GETDISKGEO', 'disk geometry (undocumented)'],
  [4, 'GETPTRLOCATION', 'host pointer position over the VM'],
  [5, 'SETPTRLOCATION', 'warp the host pointer'],
  [6, 'GETSELLENGTH', 'length of the host clipboard text'],
  [7, 'GETNEXTPIECE', 'next 4 bytes of the host clipboard text'],
  [8, 'SETSELLENGTH', 'length of the guest clipboard text'],
  [9, 'SETNEXTPIECE', 'next 4 bytes of the guest clipboard text'],
  [10, 'GETVERSION', 'backdoor version, magic and product type'],
  [11, 'GETDEVICELISTELEMENT', 'name bytes of a removable device'],
  [12, 'TOGGLEDEVICE', 'connect or disconnect a removable device'],
  [13, 'GETGUIOPTIONS', 'host GUI option bits'],
  [14, 'SETGUIOPTIONS', 'set host GUI option bits'],
  [15, 'GETSCREENSIZE', 'host display size as width:height'],
  [16, 'MONITOR_CONTROL', 'monitor control (disabled)'],
  [17, 'GETHWVERSION', 'virtual hardware version'],
  [18, 'OSNOTFOUND', 'firmware found no bootable OS', 'cpl0'],
  [19, 'GETUUID', 'BIOS UUID in EAX..EDX'],
  [20, 'GETMEMSIZE', 'guest RAM size'],
  [21, 'HOSTCOPY', 'not in use', 'unused'],
  [22, 'SERVICE_VM', 'not in use', 'unused'],
  [23, 'GETTIME', 'host UTC time (seconds, microseconds, lag)'],
  [24, 'STOPCATCHUP', 'stop timer catch-up'],
  [25, 'PUTCHR', 'debug character output (disabled)'],
  [26, 'ENABLE_MSG', 'development messages'],
  [27, 'GOTO_TCL', 'not in use', 'unused'],
  [28, 'INITPCIOPROM', 'PCI option ROM init', 'cpl0'],
  [29, 'INT13', 'not in use', 'unused'],
  [30, 'MESSAGE', 'GuestRPC message channel'],
  [31, 'SIDT', 'descriptor-table information'],
  [32, 'SGDT', 'descriptor-table information'],
  [33, 'SLDT_STR', 'descriptor-table information'],
  [34, 'ISACPIDISABLED', 'ACPI disabled query'],
  [35, 'TOE', 'not in use', 'unused'],
  [36, 'ISMOUSEABSOLUTE', 'absolute pointer query'],
  [37, 'PATCH_SMBIOS_STRUCTS', 'firmware SMBIOS patching', 'cpl0'],
  [38, 'MAPMEM', 'development memory mapping'],
  [39, 'ABSPOINTER_DATA', 'vmmouse: read queued words'],
  [40, 'ABSPOINTER_STATUS', 'vmmouse: status and queue length'],
  [41, 'ABSPOINTER_COMMAND', 'vmmouse: enable, disable, absolute or relative'],
  [42, 'TIMER_SPONGE', 'not in use', 'unused'],
  [43, 'PATCH_ACPI_TABLES', 'not in use', 'unused'],
  [44, 'DEVEL_FAKEHARDWARE', 'not in use', 'unused'],
  [45, 'GETHZ', 'TSC and APIC bus frequencies in Hz'],
  [46, 'GETTIMEFULL', 'host UTC time with 64-bit seconds'],
  [47, 'STATELOGGER', 'not in use', 'unused'],
  [48, 'CHECKFORCEBIOSSETUP', 'firmware setup request', 'cpl0'],
  [49, 'LAZYTIMEREMULATION', 'timer emulation mode', 'cpl0'],
  [50, 'BIOSBBS', 'firmware boot device list', 'cpl0'],
  [51, 'VASSERT', 'not in use', 'unused'],
  [52, 'ISGOSDARWIN', 'guest OS is Darwin query'],
  [53, 'DEBUGEVENT', 'debug event'],
  [54, 'OSNOTMACOSXSERVER', 'firmware OS check', 'cpl0'],
  [55, 'GETTIMEFULL_WITH_LAG', 'host UTC time plus interrupt lag'],
  [56, 'ACPI_HOTPLUG_DEVICE', 'ACPI hot-plug (development)'],
  [57, 'ACPI_HOTPLUG_MEMORY', 'ACPI hot-plug (development)'],
  [58, 'ACPI_HOTPLUG_CBRET', 'ACPI hot-plug (development)'],
  [59, 'GET_HOST_VIDEO_MODES', 'not in use', 'unused'],
  [60, 'ACPI_HOTPLUG_CPU', 'ACPI hot-plug (development)'],
  [61, 'USB_HOTPLUG_MOUSE', 'not in use', 'unused'],
  [62, 'XPMODE', 'XP mode query', 'cpl0'],
  [63, 'NESTING_CONTROL', 'nested backdoor control'],
  [64, 'FIRMWARE_INIT', 'firmware init', 'cpl0'],
  [65, 'FIRMWARE_ACPI_SERVICES', 'firmware ACPI services', 'cpl0'],
  [66, 'SENDPSHAREHINTS', 'page-sharing hints (deprecated)'],
  [67, 'ENABLE_USB_MOUSE', 'switch to the USB mouse'],
  [68, 'GET_VCPU_INFO', 'vCPU feature bits (x2APIC, synchronised TSCs)'],
  [69, 'EFI_SERIALCON_CONFIG', 'firmware serial console', 'cpl0'],
  [70, 'BUG328986', 'firmware workaround', 'cpl0'],
  [71, 'FIRMWARE_ERROR', 'firmware error report', 'cpl0'],
  [72, 'VMK_INFO', 'hypervisor kernel information'],
  [73, 'EFI_BOOT_CONFIG', 'firmware boot configuration', 'cpl0'],
  [74, 'GET_HW_MODEL', 'hardware model', 'cpl0'],
  [75, 'GET_SVGA_CAPABILITIES', 'SVGA capabilities', 'cpl0'],
  [76, 'GET_FORCE_X2APIC', 'forced x2APIC query', 'cpl0'],
  [77, 'SET_PCI_HOLE', 'PCI hole setup', 'cpl0'],
  [78, 'GET_PCI_HOLE', 'PCI hole query', 'cpl0'],
  [79, 'GET_PCI_BAR', 'PCI BAR query', 'cpl0'],
  [80, 'SHOULD_GENERATE_SYSTEMID', 'system id query', 'cpl0'],
  [81, 'READ_DEBUG_FILE', 'development'],
  [82, 'SCREENSHOT', 'development'],
  [83, 'INJECT_KEY', 'development'],
  [84, 'INJECT_MOUSE', 'development'],
  [85, 'MKS_GUEST_STATS', 'graphics statistics pages', 'cpl0'],
  [86, 'ABSPOINTER_RESTRICT', 'vmmouse: restrict callers by privilege'],
  [87, 'GUEST_INTEGRITY', 'guest integrity services'],
  [88, 'MKSTEST', 'development'],
  [89, 'SECUREBOOT', 'secure boot state'],
  [90, 'COPY_PHYSMEM', 'development'],
  [91, 'STEALCLOCK', 'register the steal-time area', 'cpl0'],
  [92, 'GUEST_PAGE_HINTS', 'page hints', 'cpl0'],
  [93, 'FIRMWARE_UPDATE', 'firmware update', 'cpl0'],
  [94, 'FUZZER_HELPER', 'development'],
  [95, 'PUTCHR12', 'debug character output'],
  [96, 'GMM', 'guest memory manager'],
  [97, 'PRECISIONCLOCK', 'precision clock (PTP)'],
  [98, 'COREDUMP_UNSYNC', 'development'],
  [99, 'APPLE_GPU_RES_SET', 'GPU resolution'],
  [100, 'GETBUILDNUM', 'host build number'],
];

export const BACKDOOR_COMMANDS: readonly BackdoorCommandInfo[] = ROWS.map(([id, name, summary, tag]) => ({
  id, name, summary, ...(tag === 'cpl0' ? { cpl0Only: true } : {}), ...(tag === 'unused' ? { unused: true } : {}),
}));

const BY_ID = new Map<number, BackdoorCommandInfo>(BACKDOOR_COMMANDS.map((c) => [c.id, c]));

export function commandInfo(id: number): BackdoorCommandInfo | undefined { return BY_ID.get(id); }

/** The table name, or CMD_<n> for numbers outside it. */
export function commandName(id: number): string { return BY_ID.get(id)?.name ?? `CMD_${id}`; }

export const MESSAGE_TYPE_NAMES: readonly string[] = [
  'OPEN', 'SENDSIZE', 'SENDPAYLOAD', 'RECVSIZE', 'RECVPAYLOAD', 'RECVSTATUS', 'CLOSE',
];

export function messageTypeName(type: number): string { return MESSAGE_TYPE_NAMES[type] ?? `TYPE_${type}`; }

const STATUS_NAMES: readonly [number, string][] = [
  [MSG_STATUS_SUCCESS, 'SUCCESS'], [MSG_STATUS_DORECV, 'DORECV'], [MSG_STATUS_CLOSED, 'CLOSED'],
  [MSG_STATUS_UNSENT, 'UNSENT'], [MSG_STATUS_CPT, 'CPT'], [MSG_STATUS_POWEROFF, 'POWEROFF'],
  [MSG_STATUS_TIMEOUT, 'TIMEOUT'], [MSG_STATUS_HB, 'HB'],
];

/** A MESSAGE status as words; an empty list means failure with no detail. */
export function statusWords(status: number): string[] {
  const words: string[] = [];
  for (const [bit, name] of STATUS_NAMES) if (status & bit) words.push(name);
  return words;
}

export type RpcProtocol = 'RPCI' | 'TCLO';

export function protocolName(value: number): RpcProtocol | undefined {
  if (value === RPCI_PROTOCOL) return 'RPCI';
  if (value === TCLO_PROTOCOL) return 'TCLO';
  return undefined;
}

export const HB_COMMAND_NAMES: readonly string[] = ['HB_MESSAGE', 'HB_VASSERT'];

export function hbCommandName(id: number): string { return HB_COMMAND_NAMES[id] ?? `HB_CMD_${id}`; }

const VMMOUSE_SUBCOMMANDS = new Map<number, string>([
  [VMMOUSE_CMD_READ_ID, 'READ_ID'], [VMMOUSE_CMD_DISABLE, 'DISABLE'],
  [VMMOUSE_CMD_REQUEST_RELATIVE, 'REQUEST_RELATIVE'], [VMMOUSE_CMD_REQUEST_ABSOLUTE, 'REQUEST_ABSOLUTE'],
]);

export function vmmouseSubcommandName(value: number): string {
  return VMMOUSE_SUBCOMMANDS.get(value >>> 0) ?? `0x${(value >>> 0).toString(16)}`;
}

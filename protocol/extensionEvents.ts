// Custom DAP events and requests between the "kvmlab" adapter and the extension's terminal, panels and status bar.

/** Adapter → extension: bytes the guest wrote to COM1. When absent, the extension uses `stdout` output events instead. */
export const SERIAL_EVENT = 'kvmlab.serial';
export interface SerialEventBody {
  /** Raw guest bytes, base64. */
  data: string;
}

/** Extension → adapter: bytes typed into the serial terminal, to be received by the guest's UART. */
export const SERIAL_INPUT_REQUEST = 'kvmlab.serialInput';
export interface SerialInputArguments {
  /** Raw bytes, base64. */
  data: string;
}

/** Adapter → extension: one binary frame update ("KFU1", debug-adapter/src/display/frameFormat.ts). */
export const FRAME_EVENT = 'kvmlab.frame';
export interface FrameEventBody {
  /** The encoded frame update, base64. */
  data: string;
}

/** Extension → adapter: send the whole screen as the next frame update (a panel opened after boot needs it). */
export const FRAME_REFRESH_REQUEST = 'kvmlab.frameRefresh';

/** Adapter → extension: backdoor trace entries in arrival order (traceEntryToJson shape: RIP as a hex string). */
export const BACKDOOR_EVENT = 'kvmlab.backdoor';
export interface BackdoorEventBody {
  entries: unknown[];
}

/** Extension → adapter: the kept backdoor trace (the newest 10,000 entries), for an inspector opened late. */
export const BACKDOOR_FETCH_REQUEST = 'kvmlab.backdoorFetch';
export interface BackdoorFetchArguments {
  /** Only entries with a greater sequence number; everything kept when absent. */
  sinceSeq?: number;
}
export interface BackdoorFetchResponseBody {
  /** Oldest first, in the BACKDOOR_EVENT shape. */
  entries: unknown[];
}

/** Extension → adapter: forget the kept backdoor trace. */
export const BACKDOOR_CLEAR_REQUEST = 'kvmlab.backdoorClear';

/** Extension → adapter: write the kept backdoor trace as JSON Lines (the CLI's --backdoor-log shape) to a file. */
export const BACKDOOR_EXPORT_REQUEST = 'kvmlab.backdoorExport';
export interface BackdoorExportArguments {
  path: string;
}
export interface BackdoorExportResponseBody {
  /** Entries written. */
  count: number;
}

/** Extension → adapter: queue a TCLO command for the guest tools (e.g. "reset", "ping"). */
export const TCLO_REQUEST = 'kvmlab.sendTclo';
export interface TcloArguments {
  command: string;
}

/** Extension → adapter: reset the VM in place (same configuration, same session). */
export const RESET_REQUEST = 'kvmlab.reset';

/** Extension → adapter: keyboard or mouse input from the framebuffer panel, for the i8042 and VMware mouse. */
export const INPUT_REQUEST = 'kvmlab.input';

/** Adapter → extension, about once a second while the guest runs: counters for the status bar. */
export const VM_STATS_EVENT = 'kvmlab.vmStats';
export interface VmStatsEventBody {
  /** Total VM exits since boot. */
  exits: number;
  /** CPU mode of vCPU 0: "real", "protected", "long", ... */
  cpuMode?: string;
}

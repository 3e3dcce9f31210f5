// Numbers of the VMware backdoor ABI: magic, ports, GuestRPC types and status bits, vmmouse words, and our limits.

/** "VMXh": must be in EAX on every backdoor call. */
export const BDOOR_MAGIC = 0x564d5868;
export const BDOOR_PORT_LB = 0x5658;
export const BDOOR_PORT_HB = 0x5659;

/** EAX of GETVERSION: vmtoolsd refuses any other backdoor version. */
export const BDOOR_VERSION = 6;
/** The answer to an unsupported command or a wrong magic (QEMU's behaviour, which guests test for). */
export const BDOOR_UNSUPPORTED = 0xffffffff;

/** GETVERSION ECX product types. */
export const PRODUCT_EXPRESS = 1;
export const PRODUCT_ESX = 2;
export const PRODUCT_SERVER = 3;
export const PRODUCT_WORKSTATION = 4;

/** GETMEMSIZE EBX: the constant QEMU returns next to the size. */
export const MEMSIZE_EBX = 0x1177;

/** GET_VCPU_INFO EAX bits. */
export const VCPU_INFO_SYNC_VTSCS = 1 << 1;
export const VCPU_INFO_LEGACY_X2APIC = 1 << 3;
export const VCPU_INFO_MMIO_HONORS_PAT = 1 << 4;
/** Set means "this answer is not valid". */
export const VCPU_INFO_RESERVED = 1 << 31;

/** HB commands (EBX low 16 on port 0x5659). */
export const BDOORHB_CMD_MESSAGE = 0;
export const BDOORHB_CMD_VASSERT = 1;

/** VMCALL/VMMCALL flags in DX low 16 (they replace the port number of the I/O form). */
export const BDOOR_FLAGS_HB = 1 << 0;
export const BDOOR_FLAGS_WRITE = 1 << 1;

/** MESSAGE types (ECX high 16 with command 30). */
export const MSG_OPEN = 0;
export const MSG_SENDSIZE = 1;
export const MSG_SENDPAYLOAD = 2;
export const MSG_RECVSIZE = 3;
export const MSG_RECVPAYLOAD = 4;
export const MSG_RECVSTATUS = 5;
export const MSG_CLOSE = 6;

/** MESSAGE status bits (ECX high 16 for LB, EBX high 16 for HB). */
export const MSG_STATUS_SUCCESS = 0x0001;
export const MSG_STATUS_DORECV = 0x0002;
export const MSG_STATUS_CLOSED = 0x0004;
export const MSG_STATUS_UNSENT = 0x0008;
export const MSG_STATUS_CPT = 0x0010;
export const MSG_STATUS_POWEROFF = 0x0020;
export const MSG_STATUS_TIMEOUT = 0x0040;
export const MSG_STATUS_HB = 0x0080;
/** Bits of a status the guest reports (RECVPAYLOAD/RECVSTATUS EBX) that the host honours. */
export const MSG_GUEST_STATUS_MASK = 0x0001;

/** GuestRPC protocols named in OPEN's EBX. */
export const RPCI_PROTOCOL = 0x49435052;
export const TCLO_PROTOCOL = 0x4f4c4354;
/** OR'd into the protocol at OPEN when the guest wants cookies checked on the channel. */
export const GUESTMSG_FLAG_COOKIE = 0x80000000;

/** Our bounds: channels open at once and the largest message either way (VMware's GUESTMSG_MAX_IN_SIZE). */
export const MAX_CHANNELS = 8;
export const MAX_MESSAGE_BYTES = 65536;
/** Host-to-guest TCLO commands waiting for a poll. */
export const MAX_TCLO_QUEUE = 64;
/** guestinfo keys the guest may create, and tools capabilities remembered. */
export const MAX_GUESTINFO_KEYS = 256;
export const MAX_CAPABILITIES = 256;
/** The most text a trace record carries; longer messages are cut and marked. */
export const MAX_RECORD_TEXT = 4096;

/** vmmouse COMMAND subcommands (EBX). */
export const VMMOUSE_CMD_READ_ID = 0x45414552;
export const VMMOUSE_CMD_DISABLE = 0x000000f5;
export const VMMOUSE_CMD_REQUEST_RELATIVE = 0x4c455252;
export const VMMOUSE_CMD_REQUEST_ABSOLUTE = 0x53424152;
/** The id READ_ID queues ("JUB4"). */
export const VMMOUSE_VERSION_ID = 0x3442554a;
/** STATUS high half when disabled or after an error. */
export const VMMOUSE_STATUS_ERROR = 0xffff;
/** Packet word 0 flags (high half) and buttons (low half). */
export const VMMOUSE_FLAG_RELATIVE = 0x0001;
export const VMMOUSE_LEFT_BUTTON = 0x20;
export const VMMOUSE_RIGHT_BUTTON = 0x10;
export const VMMOUSE_MIDDLE_BUTTON = 0x08;
/** Queue depth in words, and the fill level above which new events are dropped (QEMU's numbers). */
export const VMMOUSE_QUEUE_WORDS = 1024;
export const VMMOUSE_QUEUE_HIGH_WATER = 1020;
export const VMMOUSE_PACKET_WORDS = 4;
/** DATA returns at most this many words (EAX, EBX, ECX, EDX, ESI, EDI). */
export const VMMOUSE_MAX_DATA_WORDS = 6;
/** ABSPOINTER_RESTRICT levels. */
export const VMMOUSE_RESTRICT_ANY = 0;
export const VMMOUSE_RESTRICT_CPL0 = 1;
export const VMMOUSE_RESTRICT_IOPL = 2;

/** Legacy clipboard: the largest selection exchanged either way. */
export const MAX_CLIPBOARD_BYTES = 65536;

/** STEALCLOCK answer: the feature is not available. */
export const STEALCLOCK_NOT_AVAILABLE = 0xffffffff;

/* VMware backdoor numbers the rpctool and bench-backdoor guests use; plain #defines so C and assembly share them. */
#ifndef GUESTS_BACKDOOR_DEFS_H
#define GUESTS_BACKDOOR_DEFS_H

/* "VMXh": EAX on every call, and EBX after a successful GETVERSION. */
#define BDOOR_MAGIC 0x564d5868
/* Low bandwidth: one 32-bit IN per call. High bandwidth: REP OUTSB / REP INSB of a whole payload. */
#define BDOOR_PORT_LB 0x5658
#define BDOOR_PORT_HB 0x5659

#define BDOOR_CMD_GETVERSION 10
#define BDOOR_CMD_MESSAGE 30
/* GETVERSION: ECX high 16 preset to all ones, so an unchanged ECX means "no answer". */
#define BDOOR_GETVERSION_ECX_PRESET 0xffff0000
/* The only backdoor version VMware tools accept. */
#define BDOOR_VERSION 6

/* HB command in EBX low 16. */
#define BDOORHB_CMD_MESSAGE 0

/* MESSAGE types (ECX high 16). */
#define MSG_OPEN 0
#define MSG_SENDSIZE 1
#define MSG_SENDPAYLOAD 2
#define MSG_RECVSIZE 3
#define MSG_RECVPAYLOAD 4
#define MSG_RECVSTATUS 5
#define MSG_CLOSE 6

/* MESSAGE status bits (ECX high 16 for LB, EBX high 16 for HB). */
#define MSG_STATUS_SUCCESS 0x0001
#define MSG_STATUS_DORECV 0x0002
#define MSG_STATUS_HB 0x0080

/* Channel protocols; the cookie flag asks the host to check ESI/EDI (cookies) on every later call. */
#define RPCI_PROTOCOL 0x49435052
#define TCLO_PROTOCOL 0x4f4c4354
#define GUESTMSG_FLAG_COOKIE 0x80000000

/* Offsets in struct bdoor_regs (backdoor.h), for the assembly stubs. */
#define BDOOR_REG_EAX 0
#define BDOOR_REG_EBX 4
#define BDOOR_REG_ECX 8
#define BDOOR_REG_EDX 12
#define BDOOR_REG_ESI 16
#define BDOOR_REG_EDI 20
#define BDOOR_REG_EBP 24

#endif

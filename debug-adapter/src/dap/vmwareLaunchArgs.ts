// Validates the VMware personality fields of a launch configuration (backdoor, guestinfo, uuid, hypercall, tclo).
import { parseUuid } from '../devices/vmwareBackdoor/uuid';

/** What the VM's backdoor is told at boot; becomes MachineConfig.vmware (bootConfig.ts). */
export interface VmwareLaunch {
  enabled: boolean;
  guestinfo: Record<string, string>;
  uuid?: string;
  hypercall: 'none' | 'vmcall' | 'vmmcall';
  tclo: string[];
}

const HYPERCALLS: readonly VmwareLaunch['hypercall'][] = ['none', 'vmcall', 'vmmcall'];

/** Thrown with one line naming the field; launchArgs.ts turns it into its own error type. */
export class VmwareArgsError extends Error {}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function guestinfo(v: unknown): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new VmwareArgsError(`'guestinfo' must be an object of string values (e.g. { "answer": "42" }), not ${typeName(v)}`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(v)) {
    if (key === '') throw new VmwareArgsError(`'guestinfo' keys must be non-empty names`);
    if (typeof value !== 'string') throw new VmwareArgsError(`'guestinfo.${key}' must be a string, not ${typeName(value)}`);
    out[key] = value;
  }
  return out;
}

function uuid(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new VmwareArgsError(`'uuid' must be a string of 32 hex digits, not ${typeName(v)}`);
  try {
    parseUuid(v);
  } catch {
    throw new VmwareArgsError(`'uuid' must be 32 hex digits such as "564d0000-1111-2222-3333-444455556666", not ${JSON.stringify(v)}`);
  }
  return v;
}

function tclo(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new VmwareArgsError(`'tclo' must be an array of command strings (e.g. ["reset"]), not ${typeName(v)}`);
  return v.map((c, i) => {
    if (typeof c !== 'string' || c === '') throw new VmwareArgsError(`'tclo[${i}]' must be a non-empty string, not ${JSON.stringify(c)}`);
    return c;
  });
}

export function validateVmwareArgs(a: Record<string, unknown>): VmwareLaunch {
  if (a.backdoor !== undefined && typeof a.backdoor !== 'boolean') {
    throw new VmwareArgsError(`'backdoor' must be true or false, not ${typeName(a.backdoor)}`);
  }
  if (a.hypercall !== undefined && !(HYPERCALLS as readonly unknown[]).includes(a.hypercall)) {
    throw new VmwareArgsError(`'hypercall' must be one of ${HYPERCALLS.join(', ')}, not ${JSON.stringify(a.hypercall)}`);
  }
  return {
    enabled: (a.backdoor as boolean | undefined) ?? true,
    guestinfo: guestinfo(a.guestinfo),
    uuid: uuid(a.uuid),
    hypercall: (a.hypercall as VmwareLaunch['hypercall'] | undefined) ?? 'none',
    tclo: tclo(a.tclo),
  };
}

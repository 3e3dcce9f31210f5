// The host side of RPCI: commands the guest sends over GuestRPC (log, guestinfo, tools version and capabilities).
import { MAX_CAPABILITIES, MAX_GUESTINFO_KEYS, MAX_MESSAGE_BYTES } from './constants';

export const RPCI_OK = '1 ';
export const RPCI_UNKNOWN = '0 Unknown command';
export const RPCI_NO_VALUE = '0 No value found';

const GUESTINFO_PREFIX = 'guestinfo.';
/** SetGuestInfo types kept (1 DNS name ... 11 detailed OS data); more are ignored. */
const MAX_GUEST_INFO_TYPES = 32;

export interface RpciHooks {
  log?: (text: string, channel: number) => void;
  onGuestInfoSet?: (key: string, value: string) => void;
}

/** Split "verb args" at the first space; a verb sent with no arguments may carry one trailing space. */
function splitCommand(text: string): [string, string] {
  const sp = text.indexOf(' ');
  return sp < 0 ? [text, ''] : [text.slice(0, sp), text.slice(sp + 1)];
}

function clipReply(reply: string): string {
  // Replies are bounded like requests; a UTF-16 length bound keeps the encoded size within 3x of it.
  return reply.length > MAX_MESSAGE_BYTES / 3 ? reply.slice(0, MAX_MESSAGE_BYTES / 3) : reply;
}

export class RpciHandler {
  private readonly store = new Map<string, string>();
  /** tools.capability.<name> values as the guest reported them. */
  readonly capabilities = new Map<string, string>();
  /** SetGuestInfo values by type number. */
  readonly guestInfoTypes = new Map<number, string>();
  toolsVersion: string | undefined;
  /** Names registered with vmx.capability.unified_loop. */
  readonly unifiedLoops = new Set<string>();

  constructor(private readonly configured: ReadonlyMap<string, string>, private readonly hooks: RpciHooks = {}) {}

  /** A guestinfo value the guest set, else the configured one. */
  guestInfo(key: string): string | undefined {
    const k = key.startsWith(GUESTINFO_PREFIX) ? key : GUESTINFO_PREFIX + key;
    return this.store.get(k) ?? this.configured.get(k);
  }

  get storedKeys(): number { return this.store.size; }

  /** Run one RPCI command (already stripped of a trailing NUL) and return the reply text. */
  handle(text: string, channel: number): string {
    const [verb, args] = splitCommand(text);
    switch (verb) {
      case 'log':
        this.hooks.log?.(args, channel);
        return RPCI_OK;
      case 'info-set': return this.infoSet(args);
      case 'info-get': {
        const v = this.guestInfo(args.trim());
        return v === undefined || !args.trim().startsWith(GUESTINFO_PREFIX) ? RPCI_NO_VALUE : clipReply(`1 ${v}`);
      }
      case 'tools.set.version':
      case 'tools.set.versiontype':
        this.toolsVersion = args.trim();
        return RPCI_OK;
      case 'vmx.capability.unified_loop':
        if (this.unifiedLoops.size < MAX_CAPABILITIES) this.unifiedLoops.add(args.trim());
        return RPCI_OK;
      case 'SetGuestInfo': return this.setGuestInfo(args);
      case 'tools.os.statechange.status': return RPCI_OK;
      default: break;
    }
    if (verb.startsWith('tools.capability.')) {
      const name = verb.slice('tools.capability.'.length);
      if (this.capabilities.has(name) || this.capabilities.size < MAX_CAPABILITIES) this.capabilities.set(name, args.trim());
      return RPCI_OK;
    }
    return RPCI_UNKNOWN;
  }

  private infoSet(args: string): string {
    const [key, value] = splitCommand(args);
    if (!key.startsWith(GUESTINFO_PREFIX) || key.length === GUESTINFO_PREFIX.length) return '0 Invalid key';
    if (!this.store.has(key) && this.store.size >= MAX_GUESTINFO_KEYS) return '0 Too many keys';
    this.store.set(key, value);
    this.hooks.onGuestInfoSet?.(key, value);
    return RPCI_OK;
  }

  /** "SetGuestInfo  <type> <value>": the verb is followed by two spaces. */
  private setGuestInfo(args: string): string {
    const m = /^\s*(\d+)\s?([\s\S]*)$/.exec(args);
    if (!m) return '0 Invalid guest info';
    const type = Number(m[1]);
    if (this.guestInfoTypes.has(type) || this.guestInfoTypes.size < MAX_GUEST_INFO_TYPES) this.guestInfoTypes.set(type, m[2]);
    return RPCI_OK;
  }
}

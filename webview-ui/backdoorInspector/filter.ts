// Which trace entries the table shows: by command name, transport and free text (pure).
import type { BackdoorEntryView } from '../../protocol/webviewMessages';
import { commandName, searchText, transportOf } from './rows';

export interface EntryFilter {
  /** Exact command name, or '' for all. */
  command: string;
  /** lb, hb, vmcall, vmmcall, rpc, or '' for all. */
  transport: string;
  /** Words that must all appear (case-insensitive); '' for all. */
  text: string;
}

export const NO_FILTER: EntryFilter = { command: '', transport: '', text: '' };

export function isEntryFilter(v: unknown): v is EntryFilter {
  const f = v as EntryFilter;
  return typeof v === 'object' && v !== null && typeof f.command === 'string' && typeof f.transport === 'string' && typeof f.text === 'string';
}

/** Compiles a filter into a predicate; `text` uses the cached lower-case search text when given. */
export function compileFilter(f: EntryFilter): (e: BackdoorEntryView, text?: string) => boolean {
  const words = f.text.toLowerCase().split(/\s+/).filter((w) => w !== '');
  return (e, text) => {
    if (f.command && commandName(e) !== f.command) return false;
    if (f.transport && transportOf(e) !== f.transport) return false;
    if (words.length === 0) return true;
    const hay = text ?? searchText(e);
    return words.every((w) => hay.includes(w));
  };
}

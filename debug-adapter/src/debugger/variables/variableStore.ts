// variablesReference handles for C scopes and expandable values, valid until the next stop.
import type { CValue } from './cValue';

export type ScopeKind = 'locals' | 'arguments' | 'globals';

export type Handle =
  | { kind: 'scope'; frame: number; scope: ScopeKind }
  | { kind: 'value'; frame: number; value: CValue; evaluateName?: string; hex?: boolean };

/** The session's own references (registers) stay below this. */
export const FIRST_HANDLE = 1000;

export class VariableStore {
  private handles: Handle[] = [];

  add(h: Handle): number {
    this.handles.push(h);
    return FIRST_HANDLE + this.handles.length - 1;
  }

  get(ref: number): Handle | undefined {
    return this.handles[ref - FIRST_HANDLE];
  }

  owns(ref: number): boolean {
    return ref >= FIRST_HANDLE;
  }

  clear(): void {
    this.handles = [];
  }
}

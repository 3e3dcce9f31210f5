// A small stand-in for the `vscode` module, enough for the configuration provider; tests script its answers.
import Module from 'module';
import { relative } from 'path';

export interface FakeUri { fsPath: string }

export const fakeState = {
  root: '/',
  settings: {} as Record<string, unknown>,
  files: [] as FakeUri[],
  /** Index of the quick-pick item to choose, or -1 to cancel. */
  pickIndex: 0,
  /** Button the user clicks on an error message, if any. */
  errorChoice: undefined as string | undefined,
  errors: [] as { message: string; items: string[] }[],
  picks: [] as { label: string }[][],
  commands: [] as string[],
};

export function resetFake(root: string): void {
  Object.assign(fakeState, { root, settings: {}, files: [], pickIndex: 0, errorChoice: undefined, errors: [], picks: [], commands: [] });
}

const fake = {
  workspace: {
    getConfiguration: () => ({ get: <T>(key: string, dflt: T): T => (key in fakeState.settings ? fakeState.settings[key] as T : dflt) }),
    findFiles: async () => fakeState.files,
    asRelativePath: (u: FakeUri) => relative(fakeState.root, u.fsPath),
    get workspaceFolders() { return [{ uri: { fsPath: fakeState.root }, name: 'ws', index: 0 }]; },
  },
  window: {
    showErrorMessage: (message: string, ...items: string[]) => {
      fakeState.errors.push({ message, items });
      return Promise.resolve(fakeState.errorChoice);
    },
    showQuickPick: async <T extends { label: string }>(items: T[]) => {
      fakeState.picks.push(items);
      return fakeState.pickIndex < 0 ? undefined : items[fakeState.pickIndex];
    },
  },
  commands: { executeCommand: async (id: string) => { fakeState.commands.push(id); } },
  debug: { registerDebugConfigurationProvider: () => ({ dispose() {} }) },
  RelativePattern: class { constructor(readonly base: unknown, readonly pattern: string) {} },
  DebugConfigurationProviderTriggerKind: { Initial: 1, Dynamic: 2 },
};

let installed = false;

/** Makes `require('vscode')` return the fake from now on (the real module only exists inside VS Code). */
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const m = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = m._load;
  m._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fake : load.call(this, request, ...rest);
  };
}

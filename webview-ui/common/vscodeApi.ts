// The webview's handle on VS Code: acquired exactly once (a second acquireVsCodeApi call throws), plus persisted state.

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** Saved view state (filters, scale) of type T, or `fallback` when nothing valid was saved. */
export function loadState<T extends object>(fallback: T, valid: (v: unknown) => v is T): T {
  const s = vscodeApi().getState();
  return valid(s) ? s : fallback;
}

export function saveState<T extends object>(state: T): void {
  vscodeApi().setState(state);
}

// Creates a KVM Lab webview panel: scripts on, resources only from dist/webview, HTML from the one builder.
import { homedir } from 'os';
import * as vscode from 'vscode';
import { buildWebviewHtml, escapeHtml, makeNonce } from './webviewHtml';

export const WEBVIEW_DIST = ['dist', 'webview'] as const;

export interface PanelSpec {
  viewType: string;
  title: string;
  /** Bundle name in dist/webview: <name>.js and <name>.css. */
  bundle: string;
  /** Tab icon: media/<icon>.svg. */
  icon: string;
}

/** `options` become data- attributes of the page's root element (initial settings the script reads once). */
export function createPanel(extensionUri: vscode.Uri, spec: PanelSpec, options: Record<string, string> = {}, column = vscode.ViewColumn.Beside): vscode.WebviewPanel {
  const root = vscode.Uri.joinPath(extensionUri, ...WEBVIEW_DIST);
  const panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, { viewColumn: column, preserveFocus: false }, {
    enableScripts: true,
    localResourceRoots: [root],
    // Panels rebuild from the host on every load (ready handshake), so a hidden panel need not keep its context.
    retainContextWhenHidden: false,
  });
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', `${spec.icon}.svg`);
  const w = panel.webview;
  w.html = buildWebviewHtml({
    title: spec.title,
    cspSource: w.cspSource,
    nonce: makeNonce(),
    scriptUri: w.asWebviewUri(vscode.Uri.joinPath(root, `${spec.bundle}.js`)).toString(),
    styleUri: w.asWebviewUri(vscode.Uri.joinPath(root, `${spec.bundle}.css`)).toString(),
    body: `<main id="app" data-panel="${spec.bundle}"${Object.entries(options).map(([k, v]) => ` data-${k.replace(/[^a-z-]/g, '')}="${escapeHtml(v)}"`).join('')}></main>`,
  });
  return panel;
}

/** Where screenshots and exports go: a folder inside the first workspace folder, else the home folder's. */
export function outputFolder(relative: string): vscode.Uri {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  const base = ws ?? vscode.Uri.file(homedir());
  return vscode.Uri.joinPath(base, ...relative.split('/').filter((p) => p && p !== '..'));
}

/** A file name safe on every platform, from a session name and a time stamp. */
export function fileStem(name: string, when: Date): string {
  const stamp = when.toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
  return `${name.replace(/[^\w.-]+/g, '_').slice(0, 60)}-${stamp}`;
}

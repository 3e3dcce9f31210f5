// The only builder of webview HTML: a strict CSP, one nonce-bearing script, styles only from the extension (no vscode imports).
import { randomBytes } from 'crypto';

export interface WebviewPage {
  title: string;
  /** webview.cspSource: the origin local resources are served from. */
  cspSource: string;
  nonce: string;
  /** asWebviewUri of the page script and stylesheet. */
  scriptUri: string;
  styleUri: string;
  /** Static markup of the page body; it must not contain scripts or inline event handlers. */
  body: string;
}

/** 128 random bits; a fresh one for every page load. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64').replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]!);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // Screenshots are drawn to canvases and read back as data: URLs.
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const UNSAFE_BODY = /<script\b|\son[a-z]+\s*=|javascript:/i;

export function buildWebviewHtml(page: WebviewPage): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(page.nonce)) throw new Error('webview nonce must be at least 16 URL-safe characters');
  if (UNSAFE_BODY.test(page.body)) throw new Error('webview body markup must not contain scripts or inline event handlers');
  const csp = contentSecurityPolicy(page.cspSource, page.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
${page.body}
<script nonce="${page.nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>
`;
}

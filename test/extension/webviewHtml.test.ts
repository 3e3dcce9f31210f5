// The webview HTML builder: strict CSP, the nonce on the only script, no inline code.
import assert from 'node:assert/strict';
import { buildWebviewHtml, contentSecurityPolicy, escapeHtml, makeNonce } from '../../extension/src/panels/webviewHtml';

const page = (over: Partial<Parameters<typeof buildWebviewHtml>[0]> = {}) => buildWebviewHtml({
  title: 'Screen: <VM>', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abcdefghijklmnopQRSTUV',
  scriptUri: 'https://x/dist/webview/framebuffer.js', styleUri: 'https://x/dist/webview/framebuffer.css',
  body: '<main id="app" data-panel="framebuffer"></main>', ...over,
});

describe('extension webview HTML builder', () => {
  it('declares a CSP that denies by default and allows scripts only by nonce', () => {
    const html = page();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'CSP meta tag present');
    const directives = csp.replace(/&#39;/g, "'").split('; ');
    assert.equal(directives[0], "default-src 'none'");
    assert.ok(directives.includes("script-src 'nonce-abcdefghijklmnopQRSTUV'"));
    assert.ok(directives.includes('style-src https://file+.vscode-resource.vscode-cdn.net'));
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  });

  it('gives every script tag the nonce and loads code only from the given URI', () => {
    const html = page();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], '<script nonce="abcdefghijklmnopQRSTUV" src="https://x/dist/webview/framebuffer.js">');
    assert.match(html, /<\/script>\s*<\/body>/);
    assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html), 'no inline script body');
    assert.ok(html.includes('<link rel="stylesheet" href="https://x/dist/webview/framebuffer.css">'));
    assert.ok(html.includes('<title>Screen: &lt;VM&gt;</title>'));
  });

  it('refuses body markup with scripts or inline handlers, and weak nonces', () => {
    assert.throws(() => page({ body: '<script>alert(1)</script>' }), /must not contain scripts/);
    assert.throws(() => page({ body: '<img src=x onerror="alert(1)">' }), /inline event handlers/);
    assert.throws(() => page({ body: '<a href="javascript:void 0">x</a>' }), /must not contain/);
    assert.throws(() => page({ nonce: 'short' }), /nonce/);
    assert.throws(() => page({ nonce: 'abc"def<ghijklmnopqr' }), /nonce/);
  });

  it('makes fresh URL-safe nonces', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = makeNonce();
      assert.match(n, /^[A-Za-z0-9_-]{20,}$/);
      seen.add(n);
    }
    assert.equal(seen.size, 200);
    assert.equal(contentSecurityPolicy('src', makeNonce()).split('; ').length, 5);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

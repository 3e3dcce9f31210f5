// Lets webview scripts import their stylesheet; esbuild emits it as <bundle>.css beside the script.
declare module '*.css';

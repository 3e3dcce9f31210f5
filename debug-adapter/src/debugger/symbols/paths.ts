// Source path joining and normalisation for file names recorded by compilers (POSIX or Windows style).
import { posix } from 'node:path';

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]|^\\\\/;

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || WINDOWS_ABSOLUTE.test(p);
}

/** Joins a directory and a file name the way the compiler meant them, then normalises. */
export function joinPath(dir: string | undefined, name: string): string {
  if (isAbsolutePath(name) || !dir) return normalizePath(name);
  if (WINDOWS_ABSOLUTE.test(dir)) return normalizePath(dir.replace(/[\\/]+$/, '') + '\\' + name);
  return normalizePath(posix.join(dir, name));
}

export function normalizePath(p: string): string {
  if (WINDOWS_ABSOLUTE.test(p)) return p.replace(/\//g, '\\');
  return p === '' ? p : posix.normalize(p);
}

/** The last path component, for either separator style. */
export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

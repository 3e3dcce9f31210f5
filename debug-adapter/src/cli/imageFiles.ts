// Reads the image, initrd and module files named by the user, with one-line errors that name the file.
import { readFileSync, statSync } from 'fs';
import { basename } from 'path';
import { UsageError } from './usageError';

/** Images larger than the largest guest RAM cannot be loaded anyway; refuse before reading them. */
const MAX_FILE_BYTES = 3 * 1024 * 1024 * 1024;

export function readInputFile(role: string, path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`${role} '${path}' is a directory, not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${role} '${path}': no such file`);
    if (code === 'EACCES') throw new UsageError(`${role} '${path}': permission denied`);
    throw new UsageError(`${role} '${path}': cannot be read (${code ?? String(e)})`);
  }
  if (size === 0) throw new UsageError(`${role} '${path}' is empty`);
  if (size > MAX_FILE_BYTES) throw new UsageError(`${role} '${path}' is ${size} bytes, larger than any guest memory`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`${role} '${path}': cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export function fileLabel(path: string): string {
  return basename(path);
}

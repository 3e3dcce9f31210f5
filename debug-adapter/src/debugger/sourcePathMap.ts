// Maps source paths recorded in an image's DWARF (where it was built) to paths on this machine, and back.
import { sep } from 'path';

/** Longest prefix first, so a specific mapping wins over a general one. */
interface Mapping { build: string; local: string }

function withSep(p: string): string {
  return p.endsWith('/') || p.endsWith(sep) ? p : `${p}/`;
}

function swap(path: string, from: string, to: string): string | undefined {
  if (path === from.replace(/\/$/, '')) return to.replace(/\/$/, '');
  return path.startsWith(from) ? to + path.slice(from.length) : undefined;
}

export class SourcePathMap {
  private readonly mappings: Mapping[];

  /** `entries`: build-machine directory → local directory, as in launch.json `sourceMap`. */
  constructor(entries: Readonly<Record<string, string>> = {}) {
    this.mappings = Object.entries(entries)
      .map(([build, local]) => ({ build: withSep(build), local: withSep(local) }))
      .sort((a, b) => b.build.length - a.build.length);
  }

  get isEmpty(): boolean { return this.mappings.length === 0; }

  /** A DWARF path as the editor should open it. */
  toLocal(buildPath: string): string {
    for (const m of this.mappings) {
      const r = swap(buildPath, m.build, m.local);
      if (r !== undefined) return r;
    }
    return buildPath;
  }

  /** An editor path as the image's line tables name it. */
  toBuild(localPath: string): string {
    for (const m of [...this.mappings].sort((a, b) => b.local.length - a.local.length)) {
      const r = swap(localPath, m.local, m.build);
      if (r !== undefined) return r;
    }
    return localPath;
  }
}

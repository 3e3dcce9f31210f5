// Copies a project template (templates/<id>/) into a folder, refusing to overwrite anything (no vscode imports).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';

/** Described by templates/<id>/template.json. */
export interface TemplateInfo {
  id: string;
  label: string;
  description: string;
  /** File to open after scaffolding, relative to the project. */
  open: string;
}

export const TEMPLATE_MANIFEST = 'template.json';
/**
 * Dot files are stored as "dot-name" so packaging and editors treat them as ordinary files; a path segment
 * "dot-vscode" is written as ".vscode".
 */
const DOT_PREFIX = 'dot-';

export class ScaffoldError extends Error {}

export function listTemplates(root: string): TemplateInfo[] {
  if (!existsSync(root)) throw new ScaffoldError(`template folder '${root}' is missing from the extension`);
  return readdirSync(root)
    .filter((id) => existsSync(join(root, id, TEMPLATE_MANIFEST)))
    .map((id) => {
      const m = JSON.parse(readFileSync(join(root, id, TEMPLATE_MANIFEST), 'utf8')) as Omit<TemplateInfo, 'id'> & { order?: number };
      return { id, label: m.label, description: m.description, open: m.open, order: m.order ?? 99 };
    })
    .sort((a, b) => a.order - b.order)
    .map(({ order: _order, ...t }) => t);
}

export function targetName(templatePath: string): string {
  return templatePath.split(/[\\/]/).map((seg) => (seg.startsWith(DOT_PREFIX) ? `.${seg.slice(DOT_PREFIX.length)}` : seg)).join(sep);
}

function walk(dir: string, out: string[] = [], base = dir): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out, base);
    else out.push(relative(base, p));
  }
  return out;
}

export interface ScaffoldPlan {
  /** Template-relative source path → project-relative destination path. */
  files: { from: string; to: string }[];
  /** Destinations that already exist. */
  conflicts: string[];
}

export function planScaffold(templateDir: string, targetDir: string): ScaffoldPlan {
  const files = walk(templateDir).filter((f) => f !== TEMPLATE_MANIFEST).map((from) => ({ from, to: targetName(from) }));
  const conflicts = files.filter((f) => existsSync(join(targetDir, f.to))).map((f) => f.to);
  return { files, conflicts };
}

/** Writes the template into targetDir; returns the files written (project-relative). */
export function scaffold(templateDir: string, targetDir: string): string[] {
  const plan = planScaffold(templateDir, targetDir);
  if (plan.conflicts.length > 0) {
    const list = plan.conflicts.slice(0, 3).join(', ') + (plan.conflicts.length > 3 ? `, ... (${plan.conflicts.length} files)` : '');
    throw new ScaffoldError(`'${targetDir}' already has ${list}; choose an empty folder, or move those files away`);
  }
  for (const f of plan.files) {
    const dest = join(targetDir, f.to);
    mkdirSync(join(dest, '..'), { recursive: true });
    copyFileSync(join(templateDir, f.from), dest);
  }
  return plan.files.map((f) => f.to);
}

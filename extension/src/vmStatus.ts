// Words for a VM session's state as the status bar shows them (no vscode imports).
import type { VmSessionState } from './sessionRouter';

const STATE_ICONS: Record<VmSessionState['state'], string> = {
  starting: '$(loading~spin)',
  running: '$(play)',
  paused: '$(debug-pause)',
  exited: '$(debug-stop)',
  terminated: '$(debug-stop)',
};

const STATE_WORDS: Record<VmSessionState['state'], string> = {
  starting: 'starting', running: 'running', paused: 'paused', exited: 'exited', terminated: 'ended',
};

/** 950 → "950", 12_345 → "12.3k", 4_200_000 → "4.2M". */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  // Rounding must not print "1000.0k": anything that would, is shown in millions.
  if (n < 999_950) return `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function statusText(s: Readonly<VmSessionState>): string {
  const parts = [`${STATE_ICONS[s.state]} ${s.name}: ${STATE_WORDS[s.state]}`];
  if (s.state === 'paused' && s.detail) parts[0] += ` (${s.detail})`;
  if (s.state === 'exited' && s.exitCode !== undefined) parts[0] += ` (${s.exitCode})`;
  if (s.cpuMode && s.state !== 'terminated') parts.push(s.cpuMode);
  if (s.state === 'running' && s.exitsPerSecond !== undefined) parts.push(`${compactCount(s.exitsPerSecond)} exits/s`);
  return parts.join(' · ');
}

export function statusTooltip(s: Readonly<VmSessionState>): string {
  const lines = [`KVM Lab VM "${s.name}": ${STATE_WORDS[s.state]}${s.detail ? ` (${s.detail})` : ''}`];
  if (s.format) lines.push(`Boot format: ${s.format}`);
  if (s.cpuMode) lines.push(`CPU mode (vCPU 0): ${s.cpuMode}`);
  if (s.totalExits !== undefined) lines.push(`VM exits so far: ${s.totalExits}`);
  if (s.pvm) lines.push('Host KVM is the PVM flavour: guest kernel code runs emulated and slowly.');
  lines.push('Click for the serial console.');
  return lines.join('\n');
}

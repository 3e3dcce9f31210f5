// How the end of a VM is told to the user: one console line, or the crash report on stderr.
import type { VmEnd } from '../vmm/vcpu/protocol';
import type { OutputCategory } from './target';

export function endReport(end: VmEnd): { category: OutputCategory; text: string } | undefined {
  switch (end.reason) {
    case 'debugExit': return { category: 'console', text: `the guest exited with status ${end.status}\n` };
    case 'halted': return { category: 'console', text: 'the guest halted for good\n' };
    case 'reset': return { category: 'console', text: `the guest reset the machine (${end.source})\n` };
    case 'tripleFault': case 'internalError': case 'failEntry': return { category: 'stderr', text: `${end.report}\n` };
    case 'setupFailed': return { category: 'stderr', text: `${end.message}\n` };
    case 'stopped': return undefined;
  }
}

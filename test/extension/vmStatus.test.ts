// Status bar wording for a VM session: state, stop reason, exit code, CPU mode, exit rate.
import assert from 'node:assert/strict';
import type { VmSessionState } from '../../extension/src/sessionRouter';
import { compactCount, statusText, statusTooltip } from '../../extension/src/vmStatus';

const vm = (over: Partial<VmSessionState>): VmSessionState => ({ id: 's', name: 'Boot kernel', state: 'running', ...over });

describe('extension status bar text', () => {
  it('counts compactly', () => {
    assert.deepEqual([0, 950, 1234, 12_345, 999_999, 4_200_000].map(compactCount), ['0', '950', '1.23k', '12.3k', '1.0M', '4.2M']);
  });

  it('shows the state with its reason, the CPU mode, and exits per second while running', () => {
    assert.equal(statusText(vm({ cpuMode: 'long', exitsPerSecond: 15_400 })), '$(play) Boot kernel: running · long · 15.4k exits/s');
    assert.equal(statusText(vm({ state: 'paused', detail: 'breakpoint', cpuMode: 'protected', exitsPerSecond: 9 })),
      '$(debug-pause) Boot kernel: paused (breakpoint) · protected');
    assert.equal(statusText(vm({ state: 'exited', exitCode: 1 })), '$(debug-stop) Boot kernel: exited (1)');
    assert.equal(statusText(vm({ state: 'terminated', cpuMode: 'long' })), '$(debug-stop) Boot kernel: ended');
    assert.equal(statusText(vm({ state: 'starting' })), '$(loading~spin) Boot kernel: starting');
  });

  it('explains the details in the tooltip, including the PVM slowdown', () => {
    const t = statusTooltip(vm({ format: 'multiboot', cpuMode: 'protected', totalExits: 1234, pvm: true }));
    assert.deepEqual(t.split('\n'), [
      'KVM Lab VM "Boot kernel": running',
      'Boot format: multiboot',
      'CPU mode (vCPU 0): protected',
      'VM exits so far: 1234',
      'Host KVM is the PVM flavour: guest kernel code runs emulated and slowly.',
      'Click for the serial console.',
    ]);
  });
});

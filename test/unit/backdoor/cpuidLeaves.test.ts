// Unit tests of the CPUID entries for the VMware and KVM Lab personalities.
import * as assert from 'node:assert/strict';
import { personalityCpuid, vmwareCpuidLeaves, type CpuidEntry } from '../../../debug-adapter/src/devices/vmwareBackdoor/cpuidLeaves';

function sig(e: CpuidEntry): string {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(e.ebx, 0);
  b.writeUInt32LE(e.ecx, 4);
  b.writeUInt32LE(e.edx, 8);
  return b.toString('latin1');
}

const kvmSupported: CpuidEntry[] = [
  { function: 0, index: 0, flags: 0, eax: 0x10, ebx: 0x68747541, ecx: 0x444d4163, edx: 0x69746e65 },
  { function: 1, index: 0, flags: 0, eax: 0x800f12, ebx: 0, ecx: 0x01202000, edx: 0x178bfbff },
  { function: 0x40000000, index: 0, flags: 0, eax: 0x40000001, ebx: 0x4b4d564b, ecx: 0x564b4d56, edx: 0x4d },
  { function: 0x40000001, index: 0, flags: 0, eax: 0x01007efb, ebx: 0, ecx: 0, edx: 0 },
  { function: 0x40000100, index: 0, flags: 0, eax: 0x40000101, ebx: 0x4b4d564b, ecx: 0x564b4d56, edx: 0x4d },
];

describe('CPUID leaves', () => {
  it('builds the VMware signature and timing leaves', () => {
    const [base, timing] = vmwareCpuidLeaves({ tscKhz: 2_596_142 });
    assert.equal(base.function, 0x40000000);
    assert.equal(base.eax, 0x40000010);
    assert.equal(sig(base), 'VMwareVMware');
    assert.deepEqual([base.ebx, base.ecx, base.edx], [0x61774d56, 0x4d566572, 0x65726177]);
    assert.deepEqual(timing, { function: 0x40000010, index: 0, flags: 0, eax: 2_596_142, ebx: 1_000_000, ecx: 0, edx: 0 });
  });

  it('sets exactly one hypercall bit when asked', () => {
    assert.equal(vmwareCpuidLeaves({ tscKhz: 1, hypercall: 'vmcall' })[1].ecx, 2);
    assert.equal(vmwareCpuidLeaves({ tscKhz: 1, hypercall: 'vmmcall' })[1].ecx, 1);
    assert.equal(vmwareCpuidLeaves({ tscKhz: 1, hypercall: 'none' })[1].ecx, 0);
    assert.equal(vmwareCpuidLeaves({ tscKhz: 1, busKhz: 100_000 })[1].ebx, 100_000);
  });

  it('replaces every KVM hypervisor leaf for the VMware personality and sets the hypervisor bit', () => {
    const t = personalityCpuid(kvmSupported, 'vmware', { tscKhz: 3_000_000 });
    const hv = t.filter((e) => e.function >= 0x40000000);
    assert.deepEqual(hv.map((e) => e.function), [0x40000000, 0x40000010]);
    assert.equal(sig(hv[0]), 'VMwareVMware');
    assert.equal(t.find((e) => e.function === 1)?.ecx, (0x01202000 | 0x80000000) >>> 0);
    assert.equal(kvmSupported[1].ecx, 0x01202000, 'the input table is not modified');
  });

  it('keeps KVM\'s own leaves for the KVM Lab personality', () => {
    const t = personalityCpuid(kvmSupported, 'kvmlab', { tscKhz: 3_000_000 });
    assert.deepEqual(t.filter((e) => e.function >= 0x40000000), kvmSupported.slice(2));
    assert.equal(sig(t[2]).replace(/\0+$/, ''), 'KVMKVMKVM');
    assert.equal(t.find((e) => e.function === 1)!.ecx >>> 31, 1);
  });
});

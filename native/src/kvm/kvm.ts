// Typed façade over /dev/kvm: system, VM and vCPU objects whose methods are single ioctls that throw KvmError.
import koffi = require('koffi');
import * as libc from '../libc';
import type { Regs, Sregs } from '../../../debug-adapter/src/vmm/cpu/registers';
import { decodeRegs, decodeSregs, encodeRegs, encodeSregs, REGS_SIZE, SREGS_SIZE } from './codec';
import * as K from './ioctls';
import { KvmError } from './kvmError';
import { EINTR } from '../errno';
import * as S from './structs';

export interface CpuidEntry { function: number; index: number; flags: number; eax: number; ebx: number; ecx: number; edx: number }
export interface MsrValue { index: number; value: bigint }

function check(rc: number, op: string): number {
  if (rc < 0) throw new KvmError(op, libc.errno());
  return rc;
}

export class KvmSystem {
  private constructor(readonly fd: number) {}

  static open(path = '/dev/kvm'): KvmSystem {
    const fd = libc.open(path, libc.O_RDWR | libc.O_CLOEXEC, 0);
    if (fd < 0) throw new KvmError(`open ${path}`, libc.errno());
    const sys = new KvmSystem(fd);
    const version = sys.apiVersion();
    if (version !== 12) { sys.close(); throw new KvmError('KVM_GET_API_VERSION', 0, `unsupported API version ${version}`); }
    return sys;
  }

  apiVersion(): number { return check(libc.ioctlInt(this.fd, K.KVM_GET_API_VERSION, 0), 'KVM_GET_API_VERSION'); }
  checkExtension(cap: number): number { return Math.max(0, libc.ioctlInt(this.fd, K.KVM_CHECK_EXTENSION, cap)); }
  vcpuMmapSize(): number { return check(libc.ioctlInt(this.fd, K.KVM_GET_VCPU_MMAP_SIZE, 0), 'KVM_GET_VCPU_MMAP_SIZE'); }

  supportedCpuid(): CpuidEntry[] {
    const max = 256;
    const buf = Buffer.alloc(koffi.sizeof(S.KvmCpuid2) + max * koffi.sizeof(S.KvmCpuidEntry2));
    buf.writeUInt32LE(max, 0);
    check(libc.ioctlPtr(this.fd, K.KVM_GET_SUPPORTED_CPUID, buf), 'KVM_GET_SUPPORTED_CPUID');
    return decodeCpuidEntries(buf);
  }

  msrIndexList(): number[] {
    const max = 1024;
    const buf = Buffer.alloc(4 + max * 4);
    buf.writeUInt32LE(max, 0);
    check(libc.ioctlPtr(this.fd, K.KVM_GET_MSR_INDEX_LIST, buf), 'KVM_GET_MSR_INDEX_LIST');
    const n = buf.readUInt32LE(0);
    return Array.from({ length: n }, (_, i) => buf.readUInt32LE(4 + 4 * i));
  }

  createVm(): Vm {
    return new Vm(check(libc.ioctlInt(this.fd, K.KVM_CREATE_VM, 0), 'KVM_CREATE_VM'), this);
  }

  close(): void { libc.close(this.fd); }
}

export class Vm {
  constructor(readonly fd: number, readonly system: KvmSystem) {}

  checkExtension(cap: number): number { return Math.max(0, libc.ioctlInt(this.fd, K.KVM_CHECK_EXTENSION, cap)); }

  setUserMemoryRegion(slot: number, flags: number, gpa: number, size: number, hostAddress: number): void {
    const buf = Buffer.alloc(koffi.sizeof(S.KvmUserspaceMemoryRegion));
    koffi.encode(buf, S.KvmUserspaceMemoryRegion, {
      slot, flags, guest_phys_addr: gpa, memory_size: size, userspace_addr: hostAddress,
    });
    check(libc.ioctlPtr(this.fd, K.KVM_SET_USER_MEMORY_REGION, buf), 'KVM_SET_USER_MEMORY_REGION');
  }

  setTssAddr(addr: number): void { check(libc.ioctlInt(this.fd, K.KVM_SET_TSS_ADDR, addr), 'KVM_SET_TSS_ADDR'); }

  setIdentityMapAddr(addr: number): void {
    const buf = Buffer.alloc(8); buf.writeBigUInt64LE(BigInt(addr));
    check(libc.ioctlPtr(this.fd, K.KVM_SET_IDENTITY_MAP_ADDR, buf), 'KVM_SET_IDENTITY_MAP_ADDR');
  }

  createIrqchip(): void { check(libc.ioctlInt(this.fd, K.KVM_CREATE_IRQCHIP, 0), 'KVM_CREATE_IRQCHIP'); }

  createPit2(): void {
    const buf = Buffer.alloc(koffi.sizeof(S.KvmPitConfig));
    check(libc.ioctlPtr(this.fd, K.KVM_CREATE_PIT2, buf), 'KVM_CREATE_PIT2');
  }

  private readonly irqBuf = Buffer.alloc(koffi.sizeof(S.KvmIrqLevel));
  irqLine(irq: number, level: boolean): void {
    this.irqBuf.writeUInt32LE(irq, 0);
    this.irqBuf.writeUInt32LE(level ? 1 : 0, 4);
    check(libc.ioctlPtr(this.fd, K.KVM_IRQ_LINE, this.irqBuf), 'KVM_IRQ_LINE');
  }

  /** Fills `bitmap` (one bit per 4 KiB page of the slot) and clears the kernel's log. */
  getDirtyLog(slot: number, bitmap: Buffer): void {
    const buf = Buffer.alloc(koffi.sizeof(S.KvmDirtyLog));
    buf.writeUInt32LE(slot, koffi.offsetof(S.KvmDirtyLog, 'slot'));
    buf.writeBigUInt64LE(koffi.address(bitmap), koffi.offsetof(S.KvmDirtyLog, 'dirty_bitmap'));
    check(libc.ioctlPtr(this.fd, K.KVM_GET_DIRTY_LOG, buf), 'KVM_GET_DIRTY_LOG');
  }

  createVcpu(id: number): Vcpu {
    const fd = check(libc.ioctlInt(this.fd, K.KVM_CREATE_VCPU, id), 'KVM_CREATE_VCPU');
    const size = this.system.vcpuMmapSize();
    const ptr = libc.mmap(null, size, libc.PROT_READ | libc.PROT_WRITE, libc.MAP_SHARED, fd, 0);
    if (libc.isNullPointer(ptr)) { const e = libc.errno(); libc.close(fd); throw new KvmError('mmap kvm_run', e); }
    return new Vcpu(id, fd, ptr, size);
  }

  close(): void { libc.close(this.fd); }
}

export class Vcpu {
  /** The mmapped kvm_run page; read through the RUN offsets of kvmRun.ts. */
  readonly run: Buffer;
  private readonly regsBuf = Buffer.alloc(REGS_SIZE);
  private readonly sregsBuf = Buffer.alloc(SREGS_SIZE);
  /** SET_REGS or SET_SREGS came after the last KVM_RUN returned (or no KVM_RUN has run yet). */
  private writtenSinceRun = true;

  constructor(readonly id: number, readonly fd: number, private readonly runPtr: unknown, private readonly runSize: number) {
    this.run = Buffer.from(libc.viewOf(runPtr, runSize));
  }

  /** KVM_RUN; returns 0 or the errno (EINTR after a kick, EAGAIN for a waking AP). Never throws: this is the hot path. */
  runOnce(): number {
    const err = libc.ioctlInt(this.fd, K.KVM_RUN, 0) < 0 ? libc.errno() : 0;
    // KVM stores the sync_regs copy on the way out of every KVM_RUN that entered, exits and EINTR alike.
    if (err === 0 || err === EINTR) this.writtenSinceRun = false;
    return err;
  }

  /**
   * kvm_run's sync_regs copy (where kvm_valid_regs asks for one) still equals the vCPU's registers: a KVM_RUN has
   * returned since the last SET_REGS/SET_SREGS.
   */
  get syncRegsCurrent(): boolean {
    return !this.writtenSinceRun;
  }

  getRegs(): Regs {
    check(libc.ioctlPtr(this.fd, K.KVM_GET_REGS, this.regsBuf), 'KVM_GET_REGS');
    return decodeRegs(this.regsBuf);
  }

  /** Read-modify-write, so a partial update keeps the other registers. */
  setRegs(patch: Partial<Regs>): void {
    check(libc.ioctlPtr(this.fd, K.KVM_GET_REGS, this.regsBuf), 'KVM_GET_REGS');
    encodeRegs(this.regsBuf, patch);
    this.writtenSinceRun = true;
    check(libc.ioctlPtr(this.fd, K.KVM_SET_REGS, this.regsBuf), 'KVM_SET_REGS');
  }

  getSregs(): Sregs {
    check(libc.ioctlPtr(this.fd, K.KVM_GET_SREGS, this.sregsBuf), 'KVM_GET_SREGS');
    return decodeSregs(this.sregsBuf);
  }

  setSregs(patch: Partial<Sregs>): void {
    check(libc.ioctlPtr(this.fd, K.KVM_GET_SREGS, this.sregsBuf), 'KVM_GET_SREGS');
    encodeSregs(this.sregsBuf, patch);
    this.writtenSinceRun = true;
    check(libc.ioctlPtr(this.fd, K.KVM_SET_SREGS, this.sregsBuf), 'KVM_SET_SREGS');
  }

  /** Raw ioctl with a struct-sized buffer, for the less common structures (FPU, debug registers, events, XSAVE). */
  getStruct(op: 'KVM_GET_FPU' | 'KVM_GET_DEBUGREGS' | 'KVM_GET_VCPU_EVENTS' | 'KVM_GET_XSAVE' | 'KVM_GET_MP_STATE', type: koffi.TypeObject): Buffer {
    const buf = Buffer.alloc(koffi.sizeof(type));
    check(libc.ioctlPtr(this.fd, K.IOCTL_NAMES[op], buf), op);
    return buf;
  }

  setStruct(op: 'KVM_SET_FPU' | 'KVM_SET_DEBUGREGS' | 'KVM_SET_VCPU_EVENTS' | 'KVM_SET_XSAVE' | 'KVM_SET_MP_STATE' | 'KVM_SET_GUEST_DEBUG', buf: Buffer): void {
    check(libc.ioctlPtr(this.fd, K.IOCTL_NAMES[op], buf), op);
  }

  setGuestDebug(control: number, debugreg: readonly bigint[]): void {
    const buf = Buffer.alloc(koffi.sizeof(S.KvmGuestDebug));
    buf.writeUInt32LE(control >>> 0, koffi.offsetof(S.KvmGuestDebug, 'control'));
    const dr = koffi.offsetof(S.KvmGuestDebug, 'debugreg');
    for (let i = 0; i < 8; i++) buf.writeBigUInt64LE(BigInt.asUintN(64, debugreg[i] ?? 0n), dr + 8 * i);
    check(libc.ioctlPtr(this.fd, K.KVM_SET_GUEST_DEBUG, buf), 'KVM_SET_GUEST_DEBUG');
  }

  translate(gva: bigint): { valid: boolean; gpa: bigint } {
    const buf = Buffer.alloc(koffi.sizeof(S.KvmTranslation));
    buf.writeBigUInt64LE(BigInt.asUintN(64, gva), koffi.offsetof(S.KvmTranslation, 'linear_address'));
    check(libc.ioctlPtr(this.fd, K.KVM_TRANSLATE, buf), 'KVM_TRANSLATE');
    return {
      valid: buf[koffi.offsetof(S.KvmTranslation, 'valid')] !== 0,
      gpa: buf.readBigUInt64LE(koffi.offsetof(S.KvmTranslation, 'physical_address')),
    };
  }

  /** Reads the given MSRs; ones KVM refuses are left out of the result. */
  getMsrs(indices: readonly number[]): MsrValue[] {
    const out: MsrValue[] = [];
    for (const index of indices) {
      const buf = msrsBuffer([{ index, value: 0n }]);
      const n = libc.ioctlPtr(this.fd, K.KVM_GET_MSRS, buf);
      if (n === 1) out.push({ index, value: buf.readBigUInt64LE(8 + koffi.offsetof(S.KvmMsrEntry, 'data')) });
    }
    return out;
  }

  /** Returns how many MSRs KVM accepted (it stops at the first it refuses). */
  setMsrs(values: readonly MsrValue[]): number {
    return check(libc.ioctlPtr(this.fd, K.KVM_SET_MSRS, msrsBuffer(values)), 'KVM_SET_MSRS');
  }

  setCpuid2(entries: readonly CpuidEntry[]): void {
    const es = koffi.sizeof(S.KvmCpuidEntry2);
    const buf = Buffer.alloc(koffi.sizeof(S.KvmCpuid2) + entries.length * es);
    buf.writeUInt32LE(entries.length, 0);
    entries.forEach((e, i) => koffi.encode(buf, koffi.sizeof(S.KvmCpuid2) + i * es, S.KvmCpuidEntry2, { ...e, padding: [0, 0, 0] }));
    check(libc.ioctlPtr(this.fd, K.KVM_SET_CPUID2, buf), 'KVM_SET_CPUID2');
  }

  /** The guest TSC frequency KVM uses, in kHz (0 when the host cannot say). */
  getTscKhz(): number { return Math.max(0, libc.ioctlInt(this.fd, K.KVM_GET_TSC_KHZ, 0)); }

  getMpState(): number { return this.getStruct('KVM_GET_MP_STATE', S.KvmMpState).readUInt32LE(0); }
  setMpState(state: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(state); this.setStruct('KVM_SET_MP_STATE', b); }

  /** Which signals stay blocked while inside KVM_RUN (kernel sigset, 8 bytes). */
  setSignalMask(kernelSigset: Buffer): void {
    const buf = Buffer.alloc(4 + kernelSigset.length);
    buf.writeUInt32LE(kernelSigset.length, 0);
    kernelSigset.copy(buf, 4);
    check(libc.ioctlPtr(this.fd, K.KVM_SET_SIGNAL_MASK, buf), 'KVM_SET_SIGNAL_MASK');
  }

  close(): void {
    libc.munmap(this.runPtr, this.runSize);
    libc.close(this.fd);
  }
}

function msrsBuffer(values: readonly MsrValue[]): Buffer {
  const es = koffi.sizeof(S.KvmMsrEntry);
  const buf = Buffer.alloc(koffi.sizeof(S.KvmMsrs) + values.length * es);
  buf.writeUInt32LE(values.length, 0);
  values.forEach((v, i) => {
    const at = koffi.sizeof(S.KvmMsrs) + i * es;
    buf.writeUInt32LE(v.index >>> 0, at + koffi.offsetof(S.KvmMsrEntry, 'index'));
    buf.writeBigUInt64LE(BigInt.asUintN(64, v.value), at + koffi.offsetof(S.KvmMsrEntry, 'data'));
  });
  return buf;
}

function decodeCpuidEntries(buf: Buffer): CpuidEntry[] {
  const n = buf.readUInt32LE(0);
  const es = koffi.sizeof(S.KvmCpuidEntry2);
  const head = koffi.sizeof(S.KvmCpuid2);
  const o = (f: string) => koffi.offsetof(S.KvmCpuidEntry2, f);
  return Array.from({ length: n }, (_, i) => {
    const at = head + i * es;
    return {
      function: buf.readUInt32LE(at + o('function')), index: buf.readUInt32LE(at + o('index')),
      flags: buf.readUInt32LE(at + o('flags')), eax: buf.readUInt32LE(at + o('eax')), ebx: buf.readUInt32LE(at + o('ebx')),
      ecx: buf.readUInt32LE(at + o('ecx')), edx: buf.readUInt32LE(at + o('edx')),
    };
  });
}

/** Anonymous, page-aligned host memory for a memslot. */
export class HostMemory {
  readonly bytes: Uint8Array;
  readonly address: number;
  private constructor(private readonly ptr: unknown, readonly size: number) {
    this.address = libc.addressOf(ptr);
    this.bytes = new Uint8Array(libc.viewOf(ptr, size));
  }

  static allocate(size: number): HostMemory {
    const ptr = libc.mmap(null, size, libc.PROT_READ | libc.PROT_WRITE,
      libc.MAP_PRIVATE | libc.MAP_ANONYMOUS | libc.MAP_NORESERVE, -1, 0);
    if (libc.isNullPointer(ptr)) throw new KvmError(`mmap ${size} bytes of guest memory`, libc.errno());
    return new HostMemory(ptr, size);
  }

  /** Zero the whole region cheaply (the kernel drops the pages). */
  discard(): void { libc.madvise(this.ptr, this.size, libc.MADV_DONTNEED); }

  free(): void { libc.munmap(this.ptr, this.size); }
}

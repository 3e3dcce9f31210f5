// Every KVM ioctl number the project issues, computed from the struct definitions (pinned by the layout test).
import koffi = require('koffi');
import { io, ior, iow, iowr } from './ioctl';
import * as S from './structs';

const KVMIO = 0xae;
const size = (t: koffi.TypeObject): number => koffi.sizeof(t);

export const KVM_GET_API_VERSION = io(KVMIO, 0x00);
export const KVM_CREATE_VM = io(KVMIO, 0x01);
export const KVM_GET_MSR_INDEX_LIST = iowr(KVMIO, 0x02, size(S.KvmMsrList));
export const KVM_CHECK_EXTENSION = io(KVMIO, 0x03);
export const KVM_GET_VCPU_MMAP_SIZE = io(KVMIO, 0x04);
export const KVM_GET_SUPPORTED_CPUID = iowr(KVMIO, 0x05, size(S.KvmCpuid2));

export const KVM_CREATE_VCPU = io(KVMIO, 0x41);
export const KVM_GET_DIRTY_LOG = iow(KVMIO, 0x42, size(S.KvmDirtyLog));
export const KVM_SET_USER_MEMORY_REGION = iow(KVMIO, 0x46, size(S.KvmUserspaceMemoryRegion));
export const KVM_SET_TSS_ADDR = io(KVMIO, 0x47);
export const KVM_SET_IDENTITY_MAP_ADDR = iow(KVMIO, 0x48, 8);
export const KVM_CREATE_IRQCHIP = io(KVMIO, 0x60);
export const KVM_IRQ_LINE = iow(KVMIO, 0x61, size(S.KvmIrqLevel));
export const KVM_CREATE_PIT2 = iow(KVMIO, 0x77, size(S.KvmPitConfig));
export const KVM_GET_TSC_KHZ = io(KVMIO, 0xa3);
export const KVM_ENABLE_CAP = iow(KVMIO, 0xa3, size(S.KvmEnableCap));

export const KVM_RUN = io(KVMIO, 0x80);
export const KVM_GET_REGS = ior(KVMIO, 0x81, size(S.KvmRegs));
export const KVM_SET_REGS = iow(KVMIO, 0x82, size(S.KvmRegs));
export const KVM_GET_SREGS = ior(KVMIO, 0x83, size(S.KvmSregs));
export const KVM_SET_SREGS = iow(KVMIO, 0x84, size(S.KvmSregs));
export const KVM_TRANSLATE = iowr(KVMIO, 0x85, size(S.KvmTranslation));
export const KVM_INTERRUPT = iow(KVMIO, 0x86, size(S.KvmInterrupt));
export const KVM_GET_MSRS = iowr(KVMIO, 0x88, size(S.KvmMsrs));
export const KVM_SET_MSRS = iow(KVMIO, 0x89, size(S.KvmMsrs));
export const KVM_SET_SIGNAL_MASK = iow(KVMIO, 0x8b, size(S.KvmSignalMask));
export const KVM_GET_FPU = ior(KVMIO, 0x8c, size(S.KvmFpu));
export const KVM_SET_FPU = iow(KVMIO, 0x8d, size(S.KvmFpu));
export const KVM_SET_CPUID2 = iow(KVMIO, 0x90, size(S.KvmCpuid2));
export const KVM_GET_CPUID2 = iowr(KVMIO, 0x91, size(S.KvmCpuid2));
export const KVM_GET_MP_STATE = ior(KVMIO, 0x98, size(S.KvmMpState));
export const KVM_SET_MP_STATE = iow(KVMIO, 0x99, size(S.KvmMpState));
export const KVM_SET_GUEST_DEBUG = iow(KVMIO, 0x9b, size(S.KvmGuestDebug));
export const KVM_GET_VCPU_EVENTS = ior(KVMIO, 0x9f, size(S.KvmVcpuEvents));
export const KVM_SET_VCPU_EVENTS = iow(KVMIO, 0xa0, size(S.KvmVcpuEvents));
export const KVM_GET_DEBUGREGS = ior(KVMIO, 0xa1, size(S.KvmDebugregs));
export const KVM_SET_DEBUGREGS = iow(KVMIO, 0xa2, size(S.KvmDebugregs));
export const KVM_GET_XSAVE = ior(KVMIO, 0xa4, size(S.KvmXsave));
export const KVM_SET_XSAVE = iow(KVMIO, 0xa5, size(S.KvmXsave));

/** Names for error messages and for the layout test (which checks each against <linux/kvm.h>). */
export const IOCTL_NAMES: Record<string, number> = {
  KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_GET_MSR_INDEX_LIST, KVM_CHECK_EXTENSION, KVM_GET_VCPU_MMAP_SIZE,
  KVM_GET_SUPPORTED_CPUID, KVM_CREATE_VCPU, KVM_GET_DIRTY_LOG, KVM_SET_USER_MEMORY_REGION, KVM_SET_TSS_ADDR,
  KVM_SET_IDENTITY_MAP_ADDR, KVM_CREATE_IRQCHIP, KVM_IRQ_LINE, KVM_CREATE_PIT2, KVM_GET_TSC_KHZ, KVM_ENABLE_CAP,
  KVM_RUN, KVM_GET_REGS, KVM_SET_REGS, KVM_GET_SREGS, KVM_SET_SREGS, KVM_TRANSLATE, KVM_INTERRUPT,
  KVM_GET_MSRS, KVM_SET_MSRS, KVM_SET_SIGNAL_MASK, KVM_GET_FPU, KVM_SET_FPU, KVM_SET_CPUID2, KVM_GET_CPUID2,
  KVM_GET_MP_STATE, KVM_SET_MP_STATE, KVM_SET_GUEST_DEBUG, KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS,
  KVM_GET_DEBUGREGS, KVM_SET_DEBUGREGS, KVM_GET_XSAVE, KVM_SET_XSAVE,
};

// libc through koffi: the handful of system calls the VMM needs, declared with fixed arity (no variadics).
import koffi = require('koffi');

const lib = koffi.load('libc.so.6');

/** Pointer-sized integers cross the FFI as numbers; guest RAM addresses stay far below 2^53. */
export const open = lib.func('int open(const char *path, int flags, int mode)');
export const close = lib.func('int close(int fd)');
/** ioctl with an integer argument (KVM_CREATE_VCPU, KVM_CHECK_EXTENSION, KVM_RUN ...). */
export const ioctlInt = lib.func('ioctl', 'int', ['int', 'unsigned long', 'unsigned long']);
/** ioctl with a pointer argument: the buffer is read and written in place. */
export const ioctlPtr = lib.func('ioctl', 'int', ['int', 'unsigned long', koffi.inout(koffi.pointer('uint8_t'))]);
export const mmap = lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)');
export const munmap = lib.func('int munmap(void *addr, size_t length)');
export const madvise = lib.func('int madvise(void *addr, size_t length, int advice)');
export const pthreadSigmask = lib.func('pthread_sigmask', 'int', ['int', koffi.pointer('uint8_t'), koffi.out(koffi.pointer('uint8_t'))]);
export const sigtimedwait = lib.func('sigtimedwait', 'int', [koffi.pointer('uint8_t'), koffi.pointer('uint8_t'), koffi.pointer('uint8_t')]);
export const syscall3 = lib.func('long syscall(long nr, long a, long b, long c)');
export const getpid = lib.func('int getpid()');
/** Gives the CPU to another runnable thread; a polling loop calls it so that it never delays the threads it waits for. */
export const schedYield = lib.func('int sched_yield()');

export const O_RDWR = 2;
export const O_CLOEXEC = 0o2000000;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const MAP_PRIVATE = 2;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;
export const MADV_DONTNEED = 4;
export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;
export const SYS_gettid = 186;
export const SYS_tgkill = 234;
/** glibc's sigset_t is 128 bytes; the kernel's (and KVM_SET_SIGNAL_MASK's) is 8. */
export const GLIBC_SIGSET_SIZE = 128;
export const KERNEL_SIGSET_SIZE = 8;

/** errno of the last failing call on this thread (koffi saves it right after the call). */
export function errno(): number {
  return koffi.errno();
}

export function gettid(): number {
  return Number(syscall3(SYS_gettid, 0, 0, 0));
}

export function tgkill(tgid: number, tid: number, sig: number): number {
  return Number(syscall3(SYS_tgkill, tgid, tid, sig));
}

/** The address a koffi pointer refers to, as a number (user-space addresses fit in 47 bits). */
export function addressOf(ptr: unknown): number {
  return Number(koffi.address(ptr));
}

/** A live ArrayBuffer over native memory (an mmapped region). */
export function viewOf(ptr: unknown, length: number): ArrayBuffer {
  return koffi.view(ptr, length);
}

export function isNullPointer(ptr: unknown): boolean {
  return ptr === null || koffi.address(ptr) === 0n || koffi.address(ptr) === 0xffffffffffffffffn;
}

// What a boot loader produces: pure data describing guest memory contents and the initial vCPU state.
import type { Regs, Sregs } from '../vmm/cpu/registers';

export type ImageFormat = 'bootsector' | 'multiboot' | 'pvh' | 'elf64' | 'bzimage' | 'flat';

export interface LoaderOptions {
  /** Guest RAM size in bytes (RAM spans GPA 0 .. ramSize, minus the usual legacy holes described in e820). */
  ramSize: number;
  cmdline: string;
  initrd?: { name: string; bytes: Uint8Array };
  modules: { name: string; bytes: Uint8Array; cmdline?: string }[];
  /** Only for the flat format. */
  flat?: { loadAddress: number; entry: number; mode: 16 | 32 | 64 };
}

export interface LoadSegment {
  gpa: number;
  bytes: Uint8Array;
  /** What this is, for the boot report ("kernel .text", "multiboot info", "page tables"). */
  what: string;
}

/** The vCPU state at the first guest instruction. Fields not given keep KVM's reset value. */
export interface InitialCpuState {
  mode: 16 | 32 | 64;
  regs: Partial<Regs>;
  sregs: Partial<Sregs>;
}

export interface LoadPlan {
  format: ImageFormat;
  segments: LoadSegment[];
  /** Zero-filled ranges (ELF .bss) — RAM is zero already, but a reset must clear them again. */
  zeroFill: { gpa: number; length: number }[];
  entry: InitialCpuState;
  /** Human-readable facts for the boot report ("entry 0x100000 in 32-bit protected mode"). */
  notes: string[];
}

/** A user-facing image error: one line, no stack, names the file or field when it can. */
export class ImageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFormatError';
  }
}

export interface ImageLoader {
  readonly format: ImageFormat;
  /** Cheap, never throws: does this image look like this format? */
  probe(image: Uint8Array): boolean;
  /** Pure: image bytes and options to a plan; throws ImageFormatError on corrupt or unfitting images. */
  plan(image: Uint8Array, opts: LoaderOptions): LoadPlan;
}

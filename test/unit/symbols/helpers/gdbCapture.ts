// Runs a fixture under gdb to a stop and captures registers, writable memory and gdb's own view of the frames.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './toolchain';

export interface GdbVar {
  name: string;
  isArg: boolean;
  /** Integer value for scalar types (ints, enums, pointers), when gdb has one. */
  int?: bigint;
  optimizedOut: boolean;
  text: string;
}

export interface GdbFrame {
  pc: bigint;
  func: string | null;
  inline: boolean;
  /** gdb's "frame at" address: the CFA. */
  cfa: bigint | undefined;
  line: number | undefined;
  file: string | undefined;
  vars: GdbVar[];
}

export interface GdbCapture {
  regs: Map<string, bigint>;
  memory: { start: bigint; bytes: Uint8Array }[];
  frames: GdbFrame[];
  readMemory(address: bigint, size: number): Uint8Array | undefined;
}

const SCRIPT = String.raw`
import gdb, json, re

def _scalar(val):
    t = val.type.strip_typedefs()
    if t.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_PTR, gdb.TYPE_CODE_BOOL, gdb.TYPE_CODE_CHAR):
        return int(val)
    return None

def _vars(frame):
    out = []
    try:
        block = frame.block()
    except RuntimeError:
        return out
    while block is not None:
        for sym in block:
            if not (sym.is_argument or sym.is_variable):
                continue
            entry = {'name': sym.name, 'isArg': bool(sym.is_argument), 'optimizedOut': False, 'text': ''}
            try:
                val = sym.value(frame)
                entry['optimizedOut'] = bool(val.is_optimized_out)
                if not val.is_optimized_out:
                    entry['text'] = str(val)
                    s = _scalar(val)
                    if s is not None:
                        entry['int'] = str(s)
            except gdb.error as e:
                entry['text'] = '<error: %s>' % e
                entry['optimizedOut'] = True
            out.append(entry)
        if block.function is not None:
            break
        block = block.superblock
    return out

def kvm_capture():
    inf = gdb.selected_inferior()
    newest = gdb.newest_frame()
    arch = newest.architecture().name()
    names = ['rax','rbx','rcx','rdx','rsi','rdi','rbp','rsp','r8','r9','r10','r11','r12','r13','r14','r15','rip','eflags'] if 'x86-64' in arch else ['eax','ebx','ecx','edx','esi','edi','ebp','esp','eip','eflags']
    regs = {}
    for n in names:
        regs[n] = str(int(newest.read_register(n)) & ((1 << 64) - 1))
    mem = []
    for line in gdb.execute('info proc mappings', to_string=True).splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0].startswith('0x') and 'w' in parts[4]:
            start, end = int(parts[0], 16), int(parts[1], 16)
            try:
                mem.append({'start': str(start), 'hex': inf.read_memory(start, end - start).tobytes().hex()})
            except gdb.MemoryError:
                pass
    frames = []
    f = newest
    while f is not None and len(frames) < 40:
        f.select()
        info = gdb.execute('info frame', to_string=True)
        m = re.search(r'frame at (0x[0-9a-f]+)', info)
        sal = f.find_sal()
        frames.append({
            'pc': str(f.pc()), 'func': f.name(), 'inline': f.type() == gdb.INLINE_FRAME,
            'cfa': str(int(m.group(1), 16)) if m else None,
            'line': sal.line if sal and sal.symtab else None,
            'file': sal.symtab.fullname() if sal and sal.symtab else None,
            'vars': _vars(f),
        })
        f = f.older()
    print('KVMCAPTURE' + json.dumps({'regs': regs, 'mem': mem, 'frames': frames}))
`;

/** Runs `elf` under gdb with `setup` commands (breakpoints, run, continue) and captures the stop. */
export function gdbCapture(elf: string, setup: string[]): GdbCapture {
  const script = join(dirname(elf), 'capture.py');
  writeFileSync(script, SCRIPT);
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off', '-x', script];
  for (const cmd of setup) args.push('-ex', cmd);
  args.push('-ex', 'python kvm_capture()', elf);
  const out = run('gdb', args);
  const line = out.split('\n').find((l) => l.startsWith('KVMCAPTURE'));
  if (!line) throw new Error(`gdb did not stop where expected (${setup.join('; ')}):\n${out.slice(-2000)}`);
  const raw = JSON.parse(line.slice('KVMCAPTURE'.length)) as {
    regs: Record<string, string>;
    mem: { start: string; hex: string }[];
    frames: { pc: string; func: string | null; inline: boolean; cfa: string | null; line: number | null; file: string | null; vars: { name: string; isArg: boolean; optimizedOut: boolean; text: string; int?: string }[] }[];
  };
  const memory = raw.mem.map((m) => ({ start: BigInt(m.start), bytes: new Uint8Array(Buffer.from(m.hex, 'hex')) }));
  return {
    regs: new Map(Object.entries(raw.regs).map(([k, v]) => [k, BigInt(v)])),
    memory,
    frames: raw.frames.map((f) => ({
      pc: BigInt(f.pc), func: f.func, inline: f.inline, cfa: f.cfa === null ? undefined : BigInt(f.cfa),
      line: f.line ?? undefined, file: f.file ?? undefined,
      vars: f.vars.map((v) => ({ name: v.name, isArg: v.isArg, optimizedOut: v.optimizedOut, text: v.text, ...(v.int !== undefined ? { int: BigInt(v.int) } : {}) })),
    })),
    readMemory(address: bigint, size: number): Uint8Array | undefined {
      for (const m of memory) {
        if (address >= m.start && address + BigInt(size) <= m.start + BigInt(m.bytes.length)) {
          const off = Number(address - m.start);
          return m.bytes.subarray(off, off + size);
        }
      }
      return undefined;
    },
  };
}

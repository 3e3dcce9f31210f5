// The VM as the vCPU worker owns it: KVM objects, guest RAM, the two buses and the devices on them.
import { KVM_CAP } from '../../../../native/src/kvm/constants';
import { HostMemory, KvmSystem, Vcpu, Vm } from '../../../../native/src/kvm/kvm';
import { detectFlavour } from '../../host/hostReport';
import { DebugExit } from '../../devices/debugExit';
import { Debugcon } from '../../devices/debugcon';
import { I8042 } from '../../devices/i8042';
import { PciHostBridge } from '../../devices/pci/pciHostBridge';
import type { ConfigWriteEffect } from '../../devices/pci/pciFunction';
import { SysctlPort } from '../../devices/sysctlPort';
import { Uart16550 } from '../../devices/uart16550/uart16550';
import { ENABLE_ON, Reg } from '../../devices/svga2/svgaConstants';
import { VgaCrtc } from '../../devices/vga/vgaCrtc';
import type { LoadPlan } from '../../loaders/loadPlan';
import { withFramebuffer } from '../../loaders/screenInfo';
import { deriveVmUuid, pagedMemoryAccess, personalityCpuid, systemClock, VmwareBackdoor } from '../../devices/vmwareBackdoor';
import { cpuMode, modeBitness } from '../cpu/registers';
import type { StringIoDevice } from '../vcpu/stringIo';
import { Bus } from '../bus/bus';
import type { BusAccessEvent, ByteSink, IrqLine } from '../bus/busDevice';
import * as L from '../layout';
import { GuestMemory } from '../memory/guestMemory';
import { DisplayPipeline } from '../display/displayPipeline';
import '../display/displayRequests';
import { createSvga, type SvgaWiring } from '../display/svgaWiring';
import { TextScreen } from '../display/textScreen';
import type { HostInfo, MachineConfig, VmEnd } from '../vcpu/protocol';
import { applyEntryState, writePlanToMemory } from './cpuSetup';

export interface MachineSinks {
  serial: ByteSink;
  debugcon: ByteSink;
  log(level: 'info' | 'warn', text: string): void;
  backdoorRecord(record: unknown): void;
  guestLog(text: string): void;
  /** An encoded frame update (display machines only); the buffer is the sink's to keep or transfer. */
  frame?(bytes: Uint8Array): void;
}

/** Memslot numbers. */
const SLOT_RAM = 0;
/** Addresses KVM on VMX needs for real-mode emulation; placed just below the 4 GiB boundary, away from RAM and BARs. */
const KVM_TSS_ADDR = 0xfffbd000;
const KVM_IDENTITY_MAP_ADDR = 0xfffbc000;

export class Machine {
  readonly pio: Bus;
  readonly mmio: Bus;
  readonly memory: GuestMemory;
  readonly uart: Uart16550;
  readonly i8042: I8042;
  readonly pci: PciHostBridge;
  readonly backdoor: VmwareBackdoor | undefined;
  /** Always present, so boot code that moves the text cursor works without a display. */
  readonly crtc: VgaCrtc;
  /** The SVGA II device with its VRAM/FIFO memslots (config.svga). */
  readonly svga: SvgaWiring | undefined;
  /** Produces frame updates and screenshots when the machine has a display (config.svga or config.display). */
  readonly display: DisplayPipeline | undefined;
  /** Devices that complete whole REP INS/OUTS instructions, by port. */
  readonly stringIoDevices = new Map<number, StringIoDevice>();
  /** Set by a device when the guest asks to end (isa-debug-exit, reset); the run loop checks it after each exit. */
  endRequest: VmEnd | undefined;
  readonly info: HostInfo;

  private constructor(
    readonly sys: KvmSystem, readonly vm: Vm, readonly vcpu: Vcpu, readonly ram: HostMemory,
    readonly config: MachineConfig, private readonly sinks: MachineSinks,
  ) {
    this.memory = new GuestMemory([{ gpa: L.RAM_BASE, bytes: ram.bytes, label: 'ram' }]);
    const unhandled = (e: BusAccessEvent, first: boolean) => {
      if (first && config.reportUnhandled) {
        sinks.log('warn', `unhandled ${e.bus === 'pio' ? 'port' : 'MMIO'} ${e.isWrite ? 'write to' : 'read from'} `
          + `0x${e.address.toString(16)} (${e.size} byte${e.size > 1 ? 's' : ''}); reads return all ones`);
      }
    };
    this.pio = new Bus('pio', unhandled);
    this.mmio = new Bus('mmio', unhandled);

    const irq = (line: number): IrqLine => ({
      set: (level) => { if (config.irqchip) vm.irqLine(line, level); },
    });
    this.uart = new Uart16550({ sink: config.serialEnabled ? sinks.serial : { write: () => undefined }, irq: irq(L.IRQ_COM1) });
    this.pio.insert(this.uart, L.PORT_COM1, L.PORT_COM1_LEN);
    this.pio.insert(new Debugcon(sinks.debugcon), L.PORT_DEBUGCON, 1);
    this.pio.insert(new DebugExit((status) => { this.endRequest ??= { reason: 'debugExit', status }; }), L.PORT_DEBUG_EXIT, L.PORT_DEBUG_EXIT_LEN);
    const reset = (source: string) => () => { this.endRequest ??= { reason: 'reset', source }; };
    this.i8042 = new I8042({ irq: irq(L.IRQ_KEYBOARD), onReset: reset('i8042 reset line (command 0xFE)') });
    this.pio.insert(this.i8042.dataPort, L.PORT_I8042_DATA, 1);
    this.pio.insert(this.i8042.commandPort, L.PORT_I8042_CMD, 1);
    this.pio.insert(new SysctlPort({ onReset: reset('port 0x92 fast reset') }), L.PORT_SYSCTL_A, 1);
    this.pci = new PciHostBridge({ onReset: reset('PCI reset control register 0xCF9'), onMappingChange: (e) => this.applyBarMappings(e) });
    this.pio.insert(this.pci, L.PORT_PCI_CONFIG, L.PORT_PCI_CONFIG_LEN);
    this.crtc = new VgaCrtc();
    this.pio.insert(this.crtc, L.PORT_VGA_CRTC_INDEX, L.PORT_VGA_CRTC_DATA - L.PORT_VGA_CRTC_INDEX + 1);

    this.svga = config.svga ? createSvga(config.svga, {
      vm, memory: this.memory, irq: irq(L.IRQ_SVGA), interruptLine: L.IRQ_SVGA, warn: (text) => sinks.log('warn', text),
    }) : undefined;
    if (this.svga) {
      this.pci.registerFunction(this.svga.svga);
      // What firmware does before any guest code runs; the mapping effects land in applyBarMappings.
      this.pci.assignDefaultBars();
    }
    this.display = config.svga || config.display ? new DisplayPipeline({
      svga: this.svga?.svga,
      readVramDirtyLog: this.svga?.readVramDirtyLog,
      text: new TextScreen(() => this.memory.view(L.VGA_TEXT_ADDR, L.VGA_TEXT_SIZE), this.crtc),
    }) : undefined;

    this.backdoor = config.vmware.enabled ? this.attachBackdoor() : undefined;

    this.info = {
      pvm: detectFlavour() === 'pvm',
      caps: {
        syncRegs: sys.checkExtension(KVM_CAP.SYNC_REGS), immediateExit: sys.checkExtension(KVM_CAP.IMMEDIATE_EXIT),
        setGuestDebug: sys.checkExtension(KVM_CAP.SET_GUEST_DEBUG), irqchip: sys.checkExtension(KVM_CAP.IRQCHIP),
        readonlyMem: sys.checkExtension(KVM_CAP.READONLY_MEM),
      },
      format: config.plan.format,
      notes: config.plan.notes,
    };
  }

  /** Creates the VM and loads the plan. Every resource acquired is released if a later step fails. */
  static create(config: MachineConfig, sinks: MachineSinks): Machine {
    const cleanup: (() => void)[] = [];
    try {
      const sys = KvmSystem.open();
      cleanup.push(() => sys.close());
      const vm = sys.createVm();
      cleanup.push(() => vm.close());
      // Both calls matter only on VMX (real-mode emulation); other hosts may refuse them harmlessly.
      try { vm.setTssAddr(KVM_TSS_ADDR); vm.setIdentityMapAddr(KVM_IDENTITY_MAP_ADDR); } catch { /* not needed here */ }
      const ram = HostMemory.allocate(config.memoryBytes);
      cleanup.push(() => ram.free());
      vm.setUserMemoryRegion(SLOT_RAM, 0, L.RAM_BASE, config.memoryBytes, ram.address);
      if (config.irqchip) { vm.createIrqchip(); vm.createPit2(); }
      const vcpu = vm.createVcpu(0);
      cleanup.push(() => vcpu.close());
      const personality = config.vmware.enabled ? 'vmware' : 'kvmlab';
      const hypercall = config.vmware.enabled ? config.vmware.hypercall ?? 'none' : 'none';
      // KVM's supported leaves with the hypervisor bit and the chosen signature. KVM refuses long mode (EFER.LME)
      // unless the table advertises it, so a table is set even without the VMware personality.
      vcpu.setCpuid2(personalityCpuid(sys.supportedCpuid(), personality, { tscKhz: vcpu.getTscKhz(), hypercall }));
      const machine = new Machine(sys, vm, vcpu, ram, config, sinks);
      cleanup.push(() => machine.svga?.free());
      const plan = machine.planWithFramebuffer(config.plan);
      machine.info.notes = plan.notes;
      writePlanToMemory(plan, machine.memory);
      applyEntryState(vcpu, plan);
      return machine;
    } catch (e) {
      for (const f of cleanup.reverse()) { try { f(); } catch { /* already failing */ } }
      throw e;
    }
  }

  /**
   * A Linux zero page learns about the SVGA framebuffer through screen_info, and the mode is set as a VBE BIOS
   * would have left it, so simplefb/efifb draw into VRAM that is already on screen. Other plans are unchanged.
   */
  private planWithFramebuffer(plan: LoadPlan): LoadPlan {
    const s = this.svga;
    const base = s?.slots.where('svga-vram');
    if (!s || base === undefined) return plan;
    const { width, height } = this.config.svga!;
    const lineLength = width * 4;
    const next = withFramebuffer(plan, {
      base, size: s.svga.vramSize, width, height, depth: 32, lineLength,
      redMask: 0x00ff0000, greenMask: 0x0000ff00, blueMask: 0x000000ff,
    });
    if (next !== plan) {
      s.svga.writeRegister(Reg.WIDTH, width);
      s.svga.writeRegister(Reg.HEIGHT, height);
      s.svga.writeRegister(Reg.ENABLE, ENABLE_ON);
    }
    return next;
  }

  /** One display refresh (the owner's periodic tick): sends a frame update when something changed. */
  displayTick(): void {
    const bytes = this.display?.tick();
    if (bytes) this.sinks.frame?.(bytes);
  }

  private attachBackdoor(): VmwareBackdoor {
    const v = this.config.vmware;
    const backdoor = new VmwareBackdoor({
      memSizeMiB: this.config.memoryBytes / (1024 * 1024), tscKhz: this.vcpu.getTscKhz(),
      uuid: deriveVmUuid({ uuid: v.uuid, vmName: v.vmName }), clock: systemClock, guestinfo: v.guestinfo,
    }, {
      recordSink: this.config.recordBackdoor ? (r) => this.sinks.backdoorRecord(r) : undefined,
      log: (text) => this.sinks.guestLog(text),
    });
    for (const t of v.tclo) backdoor.queueTclo(t);
    if (v.hypercall && v.hypercall !== 'none') {
      // Mainline KVM answers unknown hypercalls itself (-KVM_ENOSYS); none reaches user space as a VMware call.
      this.sinks.log('warn', `the guest is told the backdoor answers ${v.hypercall.toUpperCase()}, but this host's KVM `
        + 'does not forward VMware hypercalls to user space: such calls fail in the guest; the port-I/O backdoor works');
    }
    // A 32-bit IN at 0x5658 is addressed to that one port; 0x5659 next to it is the high-bandwidth port.
    this.pio.insert(backdoor, L.PORT_VMWARE_LB, 1, { decodeByStart: true });
    this.pio.insert(backdoor.hbPort, L.PORT_VMWARE_HB, 1, { decodeByStart: true });
    this.stringIoDevices.set(L.PORT_VMWARE_HB, (dir, regs, sregs) => {
      const user = sregs.cs.dpl === 3;
      const bits = modeBitness(cpuMode(sregs, regs.rflags));
      return backdoor.handleHighBandwidth(dir, regs, pagedMemoryAccess(sregs, this.memory, { user, addressBits: bits })).regs;
    });
    return backdoor;
  }

  /**
   * Moves BAR-backed devices when the guest reprograms a BAR. A guest that maps two BARs over each other gets the
   * second one refused (reported once), as real chipsets leave overlapping decodes undefined.
   */
  private applyBarMappings(effect: ConfigWriteEffect): void {
    // Called from the constructor too (default BAR assignment), before every field is set.
    this.svga?.slots.apply(effect);
    for (const u of effect.unmap) {
      if (u.backing.kind === 'device') (u.bus === 'pio' ? this.pio : this.mmio).remove(u.base);
    }
    for (const m of effect.map) {
      if (m.backing.kind !== 'device') continue;
      try {
        (m.bus === 'pio' ? this.pio : this.mmio).insert(m.backing.device, m.base, m.length);
      } catch (e) {
        this.sinks.log('warn', `PCI BAR ${m.bar} at 0x${m.base.toString(16)} not mapped: ${e instanceof Error ? e.message : e}`);
      }
    }
  }

  dispose(): void {
    // The last picture goes out whole, so an owner that saw no earlier frame still ends with the final screen.
    const last = this.display?.finalFrame();
    if (last) this.sinks.frame?.(last);
    this.vcpu.close();
    this.vm.close();
    this.svga?.free();
    this.ram.free();
    this.sys.close();
  }
}

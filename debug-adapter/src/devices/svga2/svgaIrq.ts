// SVGA interrupt causes: status bits latched under the guest's IRQMASK, and the INTx line level that follows them.
import type { IrqLine } from '../../vmm/bus/busDevice';

export class SvgaIrq {
  private pending = 0;
  private level = false;

  constructor(private readonly mask: () => number, private line: IrqLine | undefined) {}

  /** The IRQ status port value. */
  get status(): number { return this.pending; }
  get hasLine(): boolean { return this.line !== undefined; }

  attach(line: IrqLine | undefined): void {
    this.line = line;
    this.level = false;
    this.update();
  }

  /** Latch a cause, but only one the guest enabled: masked causes leave no trace. */
  raise(flag: number): void {
    if (!(this.mask() & flag)) return;
    this.pending |= flag;
    this.update();
  }

  /** The guest acknowledges by writing ones for the bits it handled. */
  clear(bits: number): void {
    this.pending &= ~bits;
    this.update();
  }

  reset(): void {
    this.pending = 0;
    this.update();
  }

  /** The line is asserted while an enabled cause is pending. */
  update(): void {
    const level = (this.pending & this.mask()) !== 0;
    if (level === this.level) return;
    this.level = level;
    this.line?.set(level);
  }
}

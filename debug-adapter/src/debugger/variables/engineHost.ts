// Connects the C variables to a DebugEngine: memory, registers and frames through the engine, reset on every stop.
import type { DebugEngine } from '../engine';
import { formatMemoryReference } from '../memoryReference';
import { SourceVariables, type VariablesHost } from './sourceVariables';

export function engineVariablesHost(engine: DebugEngine): VariablesHost {
  return {
    debugInfo: () => engine.stopDebugInfo,
    registers: async () => (await engine.systemState()).regs,
    framePcs: async () => (await engine.frames()).map((f) => f.address),
    async readMemory(address, length) {
      try {
        return (await engine.readMemory(formatMemoryReference(address), 0, length)).bytes;
      } catch {
        return undefined;
      }
    },
    async writeMemory(address, bytes) {
      await engine.writeMemory(formatMemoryReference(address), 0, bytes);
    },
    async writeRegister(name, value) {
      await engine.setRegister('General', name, `0x${value.toString(16)}`);
    },
    symbolLabel: (address) => engine.symbolLabel(address),
  };
}

/** C variables over an engine; handles and unwound frames are dropped when the vCPU stops or a register changes. */
export function sourceVariablesFor(engine: DebugEngine): SourceVariables {
  const vars = new SourceVariables(engineVariablesHost(engine));
  engine.on('stopped', () => vars.reset(true));
  engine.on('invalidated', () => vars.reset(false));
  // C conditions and logpoints run before the stop is announced, so the frames are unwound afresh for them.
  engine.setStopEvaluator({
    async truth(text) {
      vars.reset(false);
      return (await vars.truth(text, 0)) ?? (await engine.evaluateValue(text)) !== 0n;
    },
    async text(expr) {
      vars.reset(false);
      const c = await vars.evaluate(expr, 0);
      return c ? c.result : `0x${(await engine.evaluateValue(expr)).toString(16)}`;
    },
  });
  return vars;
}

// The adapter's answer to `initialize`: one line per capability and why it is declared.
import type { DebugProtocol } from '@vscode/debugprotocol';

export const GUEST_INT3_FILTER = 'guestInt3';
export const BACKDOOR_FILTER = 'backdoorCommand';

export function capabilities(): DebugProtocol.Capabilities {
  return {
    // Breakpoints are armed before the guest runs its first instruction.
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsInstructionBreakpoints: true,
    supportsSteppingGranularity: true,
    supportsDisassembleRequest: true,
    supportsReadMemoryRequest: true,
    supportsWriteMemoryRequest: true,
    supportsSetVariable: true,
    // Watch entries that are C lvalues can be assigned.
    supportsSetExpression: true,
    supportsEvaluateForHovers: true,
    supportsTerminateRequest: true,
    // Restart resets the VM and loads the image again, keeping breakpoints.
    supportsRestartRequest: true,
    supportsExceptionInfoRequest: true,
    // Jump to Cursor sets the pc to the first address of a source line.
    supportsGotoTargetsRequest: true,
    supportsBreakpointLocationsRequest: true,
    // Debug Console: commands, register names and symbols.
    supportsCompletionsRequest: true,
    supportsDataBreakpoints: true,
    supportsDataBreakpointBytes: true,
    exceptionBreakpointFilters: [
      { filter: GUEST_INT3_FILTER, label: 'Guest breakpoint instructions', description: 'Stop when the guest executes an int3 the debugger did not plant', default: true },
      {
        filter: BACKDOOR_FILTER, label: 'Backdoor command', default: false,
        description: 'Stop right after the guest makes a VMware backdoor call',
        supportsCondition: true,
        conditionDescription: 'command names or numbers, comma-separated, e.g. MESSAGE, GETVERSION; empty = every call',
      },
    ],
    // The backdoor filter takes its command list as a condition.
    supportsExceptionFilterOptions: true,
    breakpointModes: [
      { mode: 'software', label: 'Software', description: 'int3 planted in guest memory (any number)', appliesTo: ['source', 'instruction'] },
      { mode: 'hardware', label: 'Hardware', description: 'debug registers DR0-DR3 (at most four)', appliesTo: ['source', 'instruction'] },
    ],
  };
}

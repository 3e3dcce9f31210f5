// The DAP session: turns each request into a DebugEngine call and engine events into DAP events. No KVM or device code.
import {
  DebugSession, Event, ExitedEvent, InitializedEvent, InvalidatedEvent, MemoryEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent,
  TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename } from 'path';
import { VM_INFO_EVENT, type VmInfoEventBody } from '../../../protocol/customRequests';
import type { DebugEngine, EngineStop } from '../debugger/engine';
import { formatMemoryReference, parseMemoryReference } from '../debugger/memoryReference';
import { isMachineLvalue } from '../debugger/registerNames';
import { REGISTER_GROUPS, type RegisterGroupName } from '../debugger/registerView';
import { sourceVariablesFor } from '../debugger/variables/engineHost';
import { FIRST_HANDLE } from '../debugger/variables/variableStore';
import type { SourceVariables } from '../debugger/variables/sourceVariables';
import type { BreakpointMode } from '../vmm/debugStub/stubTypes';
import { callerRegisterVariables } from './callerRegisters';
import { BACKDOOR_FILTER, capabilities, GUEST_INT3_FILTER } from './capabilities';
import { completions } from './completions';
import { ExtensionChannel } from './extensionChannel';
import { runConsoleCommand } from './consoleCommands';
import { LaunchArgsError, validateLaunchArgs } from './launchArgs';
import { StopResponseHold } from './stopResponseHold';
import { dataBreakpointInfo, dataRequests } from './dataBreakpoints';

const THREAD_ID = 1;
const FRAME_ID = 1;
const REGISTERS_SCOPE = 1;
/** Group n of REGISTER_GROUPS has variablesReference GROUP_BASE + n. */
const GROUP_BASE = 10;
/** The Registers scope of caller frame n is CALLER_REGISTERS_BASE + n (below the C variables' handles). */
const CALLER_REGISTERS_BASE = 100;
/** How long launch waits for configurationDone before starting anyway. */
const CONFIGURATION_TIMEOUT_MS = 10_000;

const STOP_REASONS: Record<EngineStop['reason'], string> = {
  entry: 'entry', pause: 'pause', step: 'step', breakpoint: 'breakpoint', exception: 'exception', halt: 'pause', goto: 'goto',
};

export class KvmDebugSession extends DebugSession {
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => { this.configurationDone = resolve; });
  private readonly extension: ExtensionChannel;
  /** C variables: Locals/Arguments/Globals scopes, C evaluation and assignment (references from FIRST_HANDLE up). */
  private readonly sourceVars: SourceVariables;
  private gotoAddresses: bigint[] = [];
  /** The response of the last continue or step, until its stop (or a short deadline). */
  private readonly stopHold = new StopResponseHold();

  constructor(private readonly engine: DebugEngine) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    // Events are sent on a later turn so that a `stopped` never overtakes the response of the request that caused it.
    const later = (e: DebugProtocol.Event) => setImmediate(() => this.sendEvent(e));
    engine.on('stopped', (s) => {
      const reason = s.breakpointKind === 'instruction' ? 'instruction breakpoint'
        : s.breakpointKind === 'function' ? 'function breakpoint'
          : s.breakpointKind === 'data' ? 'data breakpoint' : STOP_REASONS[s.reason];
      const ev = new StoppedEvent(reason, THREAD_ID, s.text) as DebugProtocol.StoppedEvent;
      ev.body.description = s.reason === 'halt' ? 'Halted, waiting for an interrupt' : s.description ?? s.text;
      ev.body.allThreadsStopped = true;
      if (s.breakpointIds?.length) ev.body.hitBreakpointIds = s.breakpointIds;
      // After output queued before the stop (logpoints); the held response of the continue or step that led here
      // goes just before the event, in the same write.
      setImmediate(() => {
        this.stopHold.release();
        this.sendEvent(ev);
      });
    });
    engine.on('output', (category, text) => later(new OutputEvent(text, category)));
    engine.on('exited', (code) => { this.stopHold.release(); later(new ExitedEvent(code)); });
    engine.on('terminated', () => { this.stopHold.release(); later(new TerminatedEvent()); });
    engine.on('invalidated', () => later(new InvalidatedEvent(['variables'], THREAD_ID)));
    this.extension = new ExtensionChannel(engine, (e) => this.sendEvent(e));
    this.sourceVars = sourceVariablesFor(engine);
    this.sourceVars.on('invalidated', () => later(new InvalidatedEvent(['variables'], THREAD_ID)));
  }

  /** Requests of the KVM Lab extension (serial terminal, backdoor panel, reset command). */
  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    await this.run(response, async () => {
      const body = await this.extension.handle(command, args);
      if (body !== undefined) response.body = body;
    });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = capabilities();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      const { launch, warnings } = validateLaunchArgs(args);
      for (const w of warnings) this.sendEvent(new OutputEvent(`${w}\n`, 'console'));
      await this.engine.launch(launch);
      const info = this.engine.hostInfo;
      if (info) this.sendEvent(new Event(VM_INFO_EVENT, { format: info.format, pvm: info.pvm, notes: info.notes } satisfies VmInfoEventBody));
      this.sendEvent(new InitializedEvent());
      await Promise.race([this.configured, new Promise((r) => setTimeout(r, CONFIGURATION_TIMEOUT_MS).unref())]);
    } catch (e) {
      this.fail(response, e, e instanceof LaunchArgsError ? 'invalid launch configuration' : 'cannot launch');
      return;
    }
    this.sendResponse(response);
    try {
      await this.engine.configurationDone();
    } catch (e) {
      // The launch itself succeeded; say why the guest could not be started rather than answer twice.
      this.sendEvent(new OutputEvent(`cannot start the guest: ${e instanceof Error ? e.message : String(e)}\n`, 'stderr'));
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configurationDone();
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'vCPU 0')] };
    this.sendResponse(response);
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    await this.run(response, async () => {
      const frames = await this.engine.frames();
      const start = args.startFrame ?? 0;
      const end = args.levels ? start + args.levels : frames.length;
      response.body = {
        stackFrames: frames.slice(start, end).map((f, j) => {
          const i = start + j;
          const src = f.source ? new Source(basename(f.source.file), f.source.file) : undefined;
          const sf = new StackFrame(FRAME_ID + i, f.name, src,
            f.source ? this.convertDebuggerLineToClient(f.source.line) : 0,
            f.source ? this.convertDebuggerColumnToClient(Math.max(1, f.source.column)) : 0) as DebugProtocol.StackFrame;
          sf.instructionPointerReference = formatMemoryReference(f.address);
          sf.presentationHint = 'normal';
          return sf;
        }),
        totalFrames: frames.length,
      };
    });
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    const frame = args.frameId - FRAME_ID;
    // A caller frame shows the registers unwound for it, not the vCPU's.
    const scope = new Scope('Registers', frame > 0 ? CALLER_REGISTERS_BASE + frame : REGISTERS_SCOPE, false) as DebugProtocol.Scope;
    scope.presentationHint = 'registers';
    const c = await this.sourceVars.scopes(frame).catch(() => []);
    // VS Code expands the first scope: Locals and Arguments come first when DWARF describes the frame, else Registers.
    const source = c.filter((s) => s.presentationHint === 'locals' || s.presentationHint === 'arguments');
    response.body = { scopes: [...source, scope, ...c.filter((s) => !source.includes(s))] };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.run(response, async () => {
      if (this.sourceVars.owns(args.variablesReference)) {
        response.body = { variables: await this.sourceVars.variables(args) };
        return;
      }
      if (isCallerRegisters(args.variablesReference)) {
        response.body = { variables: await callerRegisterVariables(args.variablesReference - CALLER_REGISTERS_BASE, this.sourceVars, this.engine) };
        return;
      }
      if (args.variablesReference === REGISTERS_SCOPE) {
        response.body = { variables: REGISTER_GROUPS.map((g, i) => ({ name: g, value: '', variablesReference: GROUP_BASE + i })) };
        return;
      }
      const group = this.group(args.variablesReference);
      const items = await this.engine.registers(group);
      response.body = {
        variables: items.map((r) => ({
          name: r.name, value: r.value, variablesReference: 0, evaluateName: group === 'General' ? `$${r.name}` : undefined,
          memoryReference: r.pointer ? formatMemoryReference(BigInt(r.value.split(' ')[0])) : undefined,
          presentationHint: r.editable ? undefined : { attributes: ['readOnly'] },
        })),
      };
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.run(response, async () => {
      if (this.sourceVars.owns(args.variablesReference)) {
        response.body = await this.sourceVars.setVariable(args.variablesReference, args.name, args.value);
        return;
      }
      if (isCallerRegisters(args.variablesReference)) throw new Error('registers of caller frames are read-only: select the innermost frame to change a register');
      response.body = { value: await this.engine.setRegister(this.group(args.variablesReference), args.name, args.value) };
    });
  }

  protected override async setExpressionRequest(response: DebugProtocol.SetExpressionResponse, args: DebugProtocol.SetExpressionArguments): Promise<void> {
    await this.run(response, async () => {
      // Registers and [memory] are machine-level; C lvalues go to the variables layer, and what C cannot name falls back.
      const machine = async () => ({ value: `0x${(await this.engine.assign(args.expression, args.value)).toString(16)}` });
      if (isMachineLvalue(args.expression)) {
        response.body = await machine();
        return;
      }
      try {
        response.body = await this.sourceVars.setExpression(args.expression, args.value, (args.frameId ?? FRAME_ID) - FRAME_ID);
      } catch (e) {
        response.body = await machine().catch(() => { throw e; });
      }
    });
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    await this.runResuming(response, async () => {
      await this.engine.continue();
      response.body = { allThreadsContinued: true };
    });
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): Promise<void> {
    await this.runResuming(response, () => this.engine.step('over', granularity(args.granularity)));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): Promise<void> {
    await this.runResuming(response, () => this.engine.step('in', granularity(args.granularity)));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): Promise<void> {
    await this.runResuming(response, () => this.engine.step('out', granularity(args.granularity)));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.engine.pause();
    this.sendResponse(response);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    await this.run(response, async () => {
      const path = args.source.path;
      const list = args.breakpoints ?? [];
      if (!path) {
        response.body = { breakpoints: list.map(() => ({ verified: false, message: 'only breakpoints in files on disk are supported' })) };
        return;
      }
      const results = await this.engine.setSourceBreakpoints(path, list.map((b) => ({
        line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage,
        mode: mode((b as { mode?: string }).mode),
      })));
      response.body = {
        breakpoints: results.map((r) => ({
          id: r.id, verified: r.verified, message: r.message, source: args.source,
          line: r.line !== undefined ? this.convertDebuggerLineToClient(r.line) : undefined,
          instructionReference: r.address !== undefined ? formatMemoryReference(r.address) : undefined,
        })),
      };
    });
  }

  protected override async setInstructionBreakpointsRequest(
    response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments,
  ): Promise<void> {
    await this.run(response, async () => {
      const list = args.breakpoints.map((b) => ({
        address: parseMemoryReference(b.instructionReference, b.offset ?? 0).address,
        mode: mode(b.mode), condition: b.condition, hitCondition: b.hitCondition,
        // Not part of DAP's InstructionBreakpoint: accepted so extension commands can set logpoints on addresses.
        logMessage: (b as { logMessage?: string }).logMessage,
      }));
      const results = await this.engine.setInstructionBreakpoints(list);
      response.body = { breakpoints: results.map((r) => ({ id: r.id, verified: r.verified, message: r.message, instructionReference: r.address !== undefined ? formatMemoryReference(r.address) : undefined })) };
    });
  }

  protected override async setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): Promise<void> {
    await this.run(response, async () => {
      const results = await this.engine.setFunctionBreakpoints(args.breakpoints.map((b) => ({
        name: b.name, mode: mode((b as { mode?: string }).mode), condition: b.condition, hitCondition: b.hitCondition,
      })));
      response.body = { breakpoints: results.map((r) => ({ id: r.id, verified: r.verified, message: r.message, instructionReference: r.address !== undefined ? formatMemoryReference(r.address) : undefined })) };
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const path = args.source.path;
    const lines = path ? this.engine.symbolIndex?.breakpointLines(path, args.line, args.endLine ?? args.line) ?? [] : [];
    response.body = { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
    this.sendResponse(response);
  }

  /** Jump to Cursor: the addresses of a line become goto targets (ids index this session's table). */
  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const path = args.source.path;
    const m = path ? this.engine.symbolIndex?.lineAddresses(path, this.convertClientLineToDebugger(args.line)) : undefined;
    this.gotoAddresses = m?.addresses ?? [];
    response.body = {
      targets: this.gotoAddresses.map((a, i) => ({
        id: i + 1, label: `${basename(path ?? '')}:${m!.line} (${formatMemoryReference(a)})`, line: this.convertDebuggerLineToClient(m!.line),
        instructionPointerReference: formatMemoryReference(a),
      })),
    };
    this.sendResponse(response);
  }

  protected override async gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): Promise<void> {
    await this.run(response, async () => {
      const address = this.gotoAddresses[args.targetId - 1];
      if (address === undefined) throw new Error(`goto target ${args.targetId} is unknown: ask for goto targets first`);
      await this.engine.jumpTo(address);
    });
  }

  protected override async setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): Promise<void> {
    await this.run(response, async () => {
      // Filters with a condition come as filterOptions, the others as plain filter names.
      const options = args.filterOptions ?? [];
      const enabled = (id: string) => args.filters.includes(id) || options.some((o) => o.filterId === id);
      await this.engine.setStopOnGuestInt3(enabled(GUEST_INT3_FILTER));
      let backdoorError: string | undefined;
      try {
        await this.engine.setBackdoorFilter(enabled(BACKDOOR_FILTER) ? options.find((o) => o.filterId === BACKDOOR_FILTER)?.condition ?? '' : undefined);
      } catch (e) {
        backdoorError = e instanceof Error ? e.message : String(e);
        await this.engine.setBackdoorFilter(undefined);
      }
      response.body = {
        breakpoints: [...args.filters, ...options.map((o) => o.filterId)].map((id) => (
          id === BACKDOOR_FILTER && backdoorError ? { verified: false, message: backdoorError } : { verified: true })),
      };
    });
  }

  protected override async dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): Promise<void> {
    await this.run(response, async () => {
      response.body = await dataBreakpointInfo(args, (args.frameId ?? FRAME_ID) - FRAME_ID, {
        variable: (ref, name) => this.sourceVars.memoryOf(ref, name),
        expression: (text, frame) => this.sourceVars.memoryOfExpression(text, frame),
        address: (text) => this.engine.evaluateValue(text),
      });
    });
  }

  protected override async setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): Promise<void> {
    await this.run(response, async () => {
      const asked = dataRequests(args.breakpoints);
      const results = await this.engine.setDataBreakpoints(asked.filter((r) => typeof r !== 'string'));
      let next = 0;
      response.body = {
        breakpoints: asked.map((r) => {
          if (typeof r === 'string') return { verified: false, message: r };
          const b = results[next++];
          return { id: b.id, verified: b.verified, message: b.message };
        }),
      };
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.engine.exceptionStop;
    response.body = {
      exceptionId: stop?.exceptionId ?? stop?.text ?? 'none', description: stop?.description ?? 'the vCPU did not stop on an exception', breakMode: 'always',
    };
    this.sendResponse(response);
  }

  protected override async readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): Promise<void> {
    await this.run(response, async () => {
      const r = await this.engine.readMemory(args.memoryReference, args.offset ?? 0, args.count);
      response.body = { address: r.address, data: Buffer.from(r.bytes).toString('base64') };
    });
  }

  protected override async writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): Promise<void> {
    await this.run(response, async () => {
      const n = await this.engine.writeMemory(args.memoryReference, args.offset ?? 0, new Uint8Array(Buffer.from(args.data, 'base64')));
      response.body = { bytesWritten: n };
      // Other open views of the same bytes (hex editor, disassembly) refresh on this.
      const at = parseMemoryReference(args.memoryReference, args.offset ?? 0);
      setImmediate(() => this.sendEvent(new MemoryEvent(formatMemoryReference(at.address, at.physical), 0, n)));
    });
  }

  protected override async disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): Promise<void> {
    await this.run(response, async () => {
      const list = await this.engine.disassemble(args.memoryReference, args.offset ?? 0, args.instructionOffset ?? 0, args.instructionCount);
      response.body = {
        instructions: list.map((i) => ({
          address: formatMemoryReference(i.address),
          instruction: i.text,
          instructionBytes: [...i.bytes].map((b) => b.toString(16).padStart(2, '0')).join(' '),
          symbol: i.symbol,
          presentationHint: i.readable ? undefined : 'invalid',
          // Lets the Disassembly view interleave source lines.
          location: i.source ? new Source(basename(i.source.file), i.source.file) : undefined,
          line: i.source ? this.convertDebuggerLineToClient(i.source.line) : undefined,
        })),
      };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    await this.run(response, async () => {
      const console = args.context === 'repl' ? await runConsoleCommand(this.engine, args.expression) : undefined;
      if (console !== undefined) {
        response.body = { result: console, variablesReference: 0 };
        return;
      }
      // C expressions over DWARF variables first; anything else (registers, symbols, [memory]) is machine-level.
      const c = await this.sourceVars.evaluate(args.expression, (args.frameId ?? FRAME_ID) - FRAME_ID);
      if (c) {
        response.body = c;
        return;
      }
      const v = await this.engine.evaluateValue(args.expression);
      const label = this.engine.symbolLabel(v);
      response.body = {
        result: `0x${v.toString(16)}${v < 1_000_000n ? ` (${v})` : ''}${label ? ` <${label}>` : ''}`,
        variablesReference: 0,
        memoryReference: formatMemoryReference(v),
      };
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    response.body = { targets: completions(args.text, args.column, this.engine.symbolIndex) };
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.engine.terminate();
    this.sendResponse(response);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.engine.terminate();
    this.sendResponse(response);
    this.shutdown();
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse): Promise<void> {
    await this.run(response, () => this.engine.restart());
  }

  private group(ref: number): RegisterGroupName {
    const g = REGISTER_GROUPS[ref - GROUP_BASE];
    if (!g) throw new Error(`unknown variables reference ${ref}`);
    return g;
  }

  /** Runs a handler and answers with its result or a one-line error. */
  private async run(response: DebugProtocol.Response, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, response.command);
    }
  }

  /** Like run, for requests that set the vCPU running: the response waits briefly for the stop (StopResponseHold). */
  private async runResuming(response: DebugProtocol.Response, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      this.fail(response, e, response.command);
      return;
    }
    if (this.engine.isRunning) this.stopHold.hold(() => this.sendResponse(response));
    else this.sendResponse(response);
  }

  private fail(response: DebugProtocol.Response, e: unknown, what: string): void {
    const message = e instanceof Error ? e.message : String(e);
    this.sendErrorResponse(response, { id: 1, format: `${what}: ${message.replace(/[{}]/g, '')}`, showUser: true });
  }
}

function isCallerRegisters(ref: number): boolean {
  return ref > CALLER_REGISTERS_BASE && ref < FIRST_HANDLE;
}

/** VS Code asks for `instruction` while the Disassembly view has focus; anything else steps source lines when it can. */
function granularity(g: DebugProtocol.SteppingGranularity | undefined): 'line' | 'instruction' {
  return g === 'instruction' ? 'instruction' : 'line';
}

function mode(m: string | undefined): BreakpointMode {
  return m === 'hardware' ? 'hardware' : 'software';
}

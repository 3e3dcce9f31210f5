// Backdoor inspector script: filters, the virtualised trace table, detail pane, conversations, TCLO box and export.
import './style.css';
import { parseBackdoorToWebview } from '../../protocol/webviewMessageGuards';
import type { BackdoorEntryView, BackdoorToWebview } from '../../protocol/webviewMessages';
import { openChannel } from '../common/channel';
import { h } from '../common/dom';
import { loadState, saveState } from '../common/vscodeApi';
import { renderConversations, renderDetail } from './detail';
import { toCsv, toJsonLines } from './exportFormat';
import { isEntryFilter, NO_FILTER, type EntryFilter } from './filter';
import { commandName } from './rows';
import { TraceTable } from './table';

/** Matches the device's record ring: older entries fall off the front. */
const CAPACITY = 10_000;
const TRANSPORTS = ['lb', 'hb', 'vmcall', 'vmmcall', 'rpc'];

interface ViewState { filter: EntryFilter; view: 'table' | 'conversations' }
const isViewState = (v: unknown): v is ViewState =>
  typeof v === 'object' && v !== null && isEntryFilter((v as ViewState).filter) && ['table', 'conversations'].includes((v as ViewState).view);

const state = loadState<ViewState>({ filter: { ...NO_FILTER }, view: 'table' }, isViewState);
const channel = openChannel(parseBackdoorToWebview);
const app = document.getElementById('app')!;

const textInput = h('input', { type: 'search', id: 'filter-text', placeholder: 'Filter: words in command, text, RIP…', value: state.filter.text });
const commandSelect = h('select', { id: 'filter-command', title: 'Command' }, h('option', { value: '' }, 'all commands'));
const transportSelect = h('select', { id: 'filter-transport', title: 'Transport' }, h('option', { value: '' }, 'all transports'),
  ...TRANSPORTS.map((t) => h('option', { value: t, selected: t === state.filter.transport }, t)));
const viewSelect = h('select', { id: 'view', title: 'View' }, h('option', { value: 'table', selected: state.view === 'table' }, 'Calls'),
  h('option', { value: 'conversations', selected: state.view === 'conversations' }, 'Conversations'));
const exportSelect = h('select', { id: 'export', title: 'Export the rows shown' }, h('option', { value: '' }, 'Export…'),
  h('option', { value: 'jsonl' }, 'JSON Lines'), h('option', { value: 'csv' }, 'CSV'));
const counts = h('span', { class: 'counts' }, '');
const sessionLabel = h('span', { class: 'session' }, 'waiting for the VM…');
const tcloInput = h('input', { type: 'text', id: 'tclo', placeholder: 'TCLO command for the guest tools (e.g. ping)' });
const tcloButton = h('button', { id: 'tclo-send' }, 'Send');
const tcloResult = h('span', { class: 'tclo-result' }, '');
const detail = h('div', { class: 'detail' });
const convPane = h('div', { class: 'conversations' });

const knownCommands = new Set<string>();
const table = new TraceTable((e) => renderDetail(detail, e), () => {
  counts.textContent = table.shownCount === table.totalCount ? `${table.totalCount} entries` : `${table.shownCount} of ${table.totalCount}`;
});

app.append(
  h('div', { class: 'toolbar' }, textInput, commandSelect, transportSelect, viewSelect, exportSelect, counts, sessionLabel),
  h('div', { class: 'main' }, h('div', { class: 'left' }, table.element, convPane), detail),
  h('form', { class: 'tclo', id: 'tclo-form' }, tcloInput, tcloButton, tcloResult),
);
renderDetail(detail, undefined);

function applyView(): void {
  const conv = state.view === 'conversations';
  table.element.hidden = conv;
  convPane.hidden = !conv;
  if (conv) renderConversations(convPane, table.visibleEntries);
}

function applyFilter(): void {
  state.filter = { text: textInput.value, command: commandSelect.value, transport: transportSelect.value };
  table.setFilter(state.filter);
  saveState(state);
  applyView();
}

function learnCommands(entries: readonly BackdoorEntryView[]): void {
  for (const e of entries) {
    const name = commandName(e);
    if (knownCommands.has(name)) continue;
    knownCommands.add(name);
    commandSelect.append(h('option', { value: name, selected: name === state.filter.command }, name));
  }
}

let filterTimer: ReturnType<typeof setTimeout> | undefined;
textInput.addEventListener('input', () => {
  // Typing re-filters at most every 120 ms instead of once per keystroke.
  if (filterTimer) clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 120);
});
commandSelect.addEventListener('change', applyFilter);
transportSelect.addEventListener('change', applyFilter);
viewSelect.addEventListener('change', () => {
  state.view = viewSelect.value === 'conversations' ? 'conversations' : 'table';
  saveState(state);
  applyView();
});
exportSelect.addEventListener('change', async () => {
  const kind = exportSelect.value;
  exportSelect.value = '';
  if (!kind) return;
  const rows = table.visibleEntries;
  const text = kind === 'csv' ? toCsv(rows) : toJsonLines(rows);
  try {
    await channel.rpc.request('export', { fileName: kind === 'csv' ? 'backdoor.csv' : 'backdoor.jsonl', text });
  } catch (e) {
    tcloResult.textContent = `export failed: ${e instanceof Error ? e.message : String(e)}`;
  }
});
app.querySelector('#tclo-form')!.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const command = tcloInput.value.trim();
  if (!command) return;
  tcloResult.textContent = 'sending…';
  try {
    await channel.rpc.request('sendTclo', { command });
    tcloResult.textContent = `queued "${command}"; the reply appears in the trace`;
    tcloInput.value = '';
  } catch (e) {
    tcloResult.textContent = `not sent: ${e instanceof Error ? e.message : String(e)}`;
  }
});

function onMessage(m: Exclude<BackdoorToWebview, { type: 'response' }>): void {
  if (m.type === 'session') {
    sessionLabel.textContent = `${m.name}: ${m.state}${m.detail ? ` (${m.detail})` : ''}`;
    return;
  }
  learnCommands(m.entries);
  if (m.replace) table.replace(m.entries.slice(-CAPACITY));
  else table.append(m.entries, CAPACITY);
  if (state.view === 'conversations') renderConversations(convPane, table.visibleEntries);
}

table.setFilter(state.filter);
applyView();
channel.start(onMessage);

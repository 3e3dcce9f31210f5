// Framebuffer panel script: toolbar, guest screen, status line, pixel inspector, keyboard/mouse capture, screenshots.
import './style.css';
import { parseFramebufferToWebview } from '../../protocol/webviewMessageGuards';
import type { FramebufferToWebview, GuestInput } from '../../protocol/webviewMessages';
import { openChannel } from '../common/channel';
import { h } from '../common/dom';
import { loadState, saveState } from '../common/vscodeApi';
import { guestButtons, isReleaseChord, RELEASE_HINT, wheelLines } from './capture';
import { clientToGuest, isScaleMode, SCALE_MODES, type ScaleMode } from './scaling';
import { Screen } from './screen';

interface ViewState { scale: ScaleMode }
const isViewState = (v: unknown): v is ViewState => typeof v === 'object' && v !== null && isScaleMode((v as ViewState).scale);

const app = document.getElementById('app')!;
const initialScale = app.dataset.scale;
const state = loadState<ViewState>({ scale: isScaleMode(initialScale) ? initialScale : 'fit' }, isViewState);
const channel = openChannel(parseFramebufferToWebview);

const scaleSelect = h('select', { id: 'scale', title: 'Display scale' },
  ...SCALE_MODES.map((m) => h('option', { value: m, selected: m === state.scale }, m === 'fit' ? 'Fit' : m === '1x' ? '1:1' : '2×')));
const captureButton = h('button', { id: 'capture', title: 'Send keyboard and mouse to the guest' }, 'Capture input');
const shotButton = h('button', { id: 'screenshot', title: 'Save the screen as PNG in the workspace' }, 'Screenshot');
const sessionLabel = h('span', { id: 'session', class: 'session' }, 'waiting for the VM…');
const toolbar = h('div', { class: 'toolbar' }, scaleSelect, captureButton, shotButton, sessionLabel);
const viewport = h('div', { id: 'viewport', class: 'viewport' });
const placeholder = h('div', { class: 'placeholder' }, 'No display output yet: the guest has not drawn a screen. Its text output is in the serial terminal.');
viewport.append(placeholder);
const statusLine = h('div', { id: 'status', class: 'status' }, '');
const inspector = h('div', { id: 'inspector', class: 'inspector' }, '');
app.append(toolbar, viewport, h('div', { class: 'statusbar' }, statusLine, inspector));

const screen = new Screen(viewport, () => placeholder.remove());
screen.setMode(state.scale);
let captured = false;
let notice = '';

function renderStatus(): void {
  const s = screen.stats;
  const parts = s.frames === 0 ? ['no frames yet'] : [`${s.width}×${s.height}`, `update #${s.sequence}`];
  if (s.gaps > 0) parts.push(`${s.gaps} missed update${s.gaps === 1 ? '' : 's'}`);
  if (captured) parts.push(`input captured — ${RELEASE_HINT}`);
  if (notice) parts.push(notice);
  statusLine.textContent = parts.join(' · ');
}

function setCaptured(on: boolean): void {
  if (captured === on) return;
  captured = on;
  document.body.classList.toggle('captured', on);
  captureButton.textContent = on ? 'Release (Ctrl+Alt)' : 'Capture input';
  channel.post({ type: 'captureChanged', captured: on });
  if (on) screen.canvas.focus();
  renderStatus();
}

function sendInput(input: GuestInput): void {
  channel.post({ type: 'input', input });
}

scaleSelect.addEventListener('change', () => {
  if (!isScaleMode(scaleSelect.value)) return;
  state.scale = scaleSelect.value;
  screen.setMode(state.scale);
  saveState(state);
});
captureButton.addEventListener('click', () => setCaptured(!captured));
screen.canvas.addEventListener('click', () => { if (!captured && screen.hasImage) setCaptured(true); });
window.addEventListener('blur', () => setCaptured(false));

const held = new Set<string>();
function onKey(e: KeyboardEvent, down: boolean): void {
  if (!captured) return;
  e.preventDefault();
  e.stopPropagation();
  if (down && isReleaseChord(e)) {
    // Let go of everything the guest saw pressed, so it does not keep a stuck Ctrl.
    for (const code of held) sendInput({ kind: 'key', code, down: false });
    held.clear();
    setCaptured(false);
    return;
  }
  if (down) held.add(e.code); else held.delete(e.code);
  if (e.code) sendInput({ kind: 'key', code: e.code, down });
}
window.addEventListener('keydown', (e) => onKey(e, true), true);
window.addEventListener('keyup', (e) => onKey(e, false), true);

function pointer(e: MouseEvent, wheel = 0): void {
  const p = clientToGuest(e.clientX, e.clientY, screen.canvas.getBoundingClientRect(), screen.size);
  const rgb = screen.pixel(p.x, p.y);
  inspector.textContent = rgb
    ? `(${p.x}, ${p.y}) #${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')} rgb(${rgb.join(', ')})` : '';
  if (captured) sendInput({ kind: 'mouse', x: p.x, y: p.y, buttons: guestButtons(e.buttons), wheel });
}
screen.canvas.addEventListener('mousemove', (e) => pointer(e));
screen.canvas.addEventListener('mousedown', (e) => { if (captured) { e.preventDefault(); pointer(e); } });
screen.canvas.addEventListener('mouseup', (e) => { if (captured) { e.preventDefault(); pointer(e); } });
screen.canvas.addEventListener('contextmenu', (e) => { if (captured) e.preventDefault(); });
screen.canvas.addEventListener('wheel', (e) => { if (captured) { e.preventDefault(); pointer(e, wheelLines(e.deltaY, e.deltaMode)); } }, { passive: false });
screen.canvas.addEventListener('mouseleave', () => { inspector.textContent = ''; });

shotButton.addEventListener('click', async () => {
  try {
    const r = await channel.rpc.request<{ path: string }>('saveScreenshot', { png: screen.pngBase64() });
    notice = `saved ${r.path.split('/').pop()}`;
  } catch (e) {
    notice = `screenshot failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  renderStatus();
});

function onMessage(m: Exclude<FramebufferToWebview, { type: 'response' }>): void {
  switch (m.type) {
    case 'session':
      sessionLabel.textContent = `${m.name}: ${m.state}${m.detail ? ` (${m.detail})` : ''}`;
      document.body.dataset.state = m.state;
      if (m.state === 'terminated' || m.state === 'exited') setCaptured(false);
      break;
    case 'frame':
      try {
        screen.apply(m.data);
      } catch (e) {
        channel.post({ type: 'decodeError', message: e instanceof Error ? e.message : String(e) });
      }
      renderStatus();
      break;
    case 'request':
      void channel.rpc.answer(m.id, () => ({ png: screen.pngBase64(), width: screen.stats.width, height: screen.stats.height }));
      break;
  }
}

renderStatus();
channel.start(onMessage);

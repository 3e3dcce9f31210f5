// Virtualised trace table: only the rows in view exist in the DOM, so 10,000 entries scroll and filter smoothly.
import type { BackdoorEntryView } from '../../protocol/webviewMessages';
import { h } from '../common/dom';
import { compileFilter, type EntryFilter } from './filter';
import { channelOf, commandOf, searchText, summaryOf, timeOf, transportOf } from './rows';
import { scrollToReveal, visibleRows } from './virtualWindow';

export const ROW_HEIGHT = 22;
const COLUMNS = ['#', 'time (ms)', 'vCPU', 'via', 'command', 'ch', 'summary', 'RIP'];

interface Row { entry: BackdoorEntryView; text: string }

export class TraceTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private all: Row[] = [];
  private shown: Row[] = [];
  private predicate = compileFilter({ command: '', transport: '', text: '' });
  private selectedSeq?: number;
  private renderScheduled = false;
  follow = true;

  constructor(private readonly onSelect: (e: BackdoorEntryView | undefined) => void, private readonly onChange: () => void) {
    const header = h('div', { class: 'row header' }, ...COLUMNS.map((c) => h('span', {}, c)));
    this.body = h('div', { class: 'rows' });
    this.spacer = h('div', { class: 'spacer' }, this.body);
    this.scroller = h('div', { class: 'scroller', tabindex: 0 }, this.spacer);
    this.element = h('div', { class: 'table' }, header, this.scroller);
    this.scroller.addEventListener('scroll', () => {
      // Scrolling up stops following new entries; scrolling back to the bottom resumes it.
      const atBottom = this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - ROW_HEIGHT;
      this.follow = atBottom;
      this.schedule();
    });
    this.body.addEventListener('click', (ev) => {
      const row = (ev.target as HTMLElement).closest<HTMLElement>('.row');
      if (row?.dataset.index) this.select(Number(row.dataset.index));
    });
    this.scroller.addEventListener('keydown', (ev) => {
      const i = this.selectedIndex();
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        this.select(Math.max(0, Math.min(this.shown.length - 1, (i ?? -1) + (ev.key === 'ArrowDown' ? 1 : -1))));
      }
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  get totalCount(): number { return this.all.length; }
  get shownCount(): number { return this.shown.length; }
  get visibleEntries(): BackdoorEntryView[] { return this.shown.map((r) => r.entry); }
  get allEntries(): BackdoorEntryView[] { return this.all.map((r) => r.entry); }

  replace(entries: readonly BackdoorEntryView[]): void {
    this.all = entries.map((entry) => ({ entry, text: searchText(entry) }));
    this.shown = this.all.filter((r) => this.predicate(r.entry, r.text));
    this.changed();
  }

  /** New entries only need testing against the filter once, so appending stays cheap at any table size. */
  append(entries: readonly BackdoorEntryView[], capacity: number): void {
    for (const entry of entries) {
      const row = { entry, text: searchText(entry) };
      this.all.push(row);
      if (this.predicate(entry, row.text)) this.shown.push(row);
    }
    if (this.all.length > capacity) {
      const dropped = this.all.splice(0, this.all.length - capacity);
      const firstKept = this.all[0].entry.seq;
      if (dropped.length) this.shown = this.shown.filter((r) => r.entry.seq >= firstKept);
    }
    this.changed();
  }

  setFilter(f: EntryFilter): void {
    this.predicate = compileFilter(f);
    this.shown = this.all.filter((r) => this.predicate(r.entry, r.text));
    this.changed();
  }

  private changed(): void {
    this.spacer.style.height = `${this.shown.length * ROW_HEIGHT}px`;
    if (this.follow) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.schedule();
    this.onChange();
  }

  private selectedIndex(): number | undefined {
    if (this.selectedSeq === undefined) return undefined;
    const i = this.shown.findIndex((r) => r.entry.seq === this.selectedSeq);
    return i < 0 ? undefined : i;
  }

  select(index: number): void {
    const row = this.shown[index];
    this.selectedSeq = row?.entry.seq;
    this.onSelect(row?.entry);
    const top = scrollToReveal(index, this.scroller.scrollTop, this.scroller.clientHeight, ROW_HEIGHT);
    if (top !== undefined) this.scroller.scrollTop = top;
    this.schedule();
  }

  private schedule(): void {
    if (this.renderScheduled) return;
    this.renderScheduled = true;
    requestAnimationFrame(() => {
      this.renderScheduled = false;
      this.render();
    });
  }

  private render(): void {
    const w = visibleRows(this.scroller.scrollTop, this.scroller.clientHeight, ROW_HEIGHT, this.shown.length);
    this.body.style.transform = `translateY(${w.offset}px)`;
    const rows: HTMLElement[] = [];
    for (let i = w.start; i < w.end; i++) {
      const e = this.shown[i].entry;
      const cells = [
        String(e.seq), timeOf(e), e.type === 'call' ? String(e.vcpu) : '', transportOf(e), commandOf(e), String(channelOf(e) ?? ''),
        summaryOf(e), e.type === 'call' ? e.rip : '',
      ];
      const cls = `row ${e.type}${e.seq === this.selectedSeq ? ' selected' : ''}${e.type === 'call' && e.decoded?.unsupported ? ' unsupported' : ''}`;
      rows.push(h('div', { class: cls, 'data-index': i }, ...cells.map((c) => h('span', { title: c.length > 40 ? c : undefined }, c))));
    }
    this.body.replaceChildren(...rows);
  }
}

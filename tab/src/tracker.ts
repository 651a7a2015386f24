import type {
  ActionRow,
  StatusChangeResult,
  StatusMove,
  TrackerData,
  TrackerFilters,
} from '../../bot/tab-api/contract.js';
import { ApiFailure, type Api } from './api.js';
import { clear, h, link, srOnly, uniqueId } from './dom.js';

/**
 * The action tracker: filters, the table of actions, and a status change on each row the person
 * may update. What may change is decided by the bot's actions service; the tab offers only the
 * moves the API says are allowed and shows the service's own message.
 */

const STATUS_OPTIONS: [TrackerFilters['status'], string][] = [
  ['active', 'Open and in progress'],
  ['Open', 'Open'],
  ['In progress', 'In progress'],
  ['Done', 'Done'],
  ['Dropped', 'Dropped'],
  ['all', 'All'],
];

const DUE_OPTIONS: [TrackerFilters['due'], string][] = [
  ['any', 'Any time'],
  ['overdue', 'Overdue'],
  ['week', 'Due this week'],
  ['month', 'Due in the next 30 days'],
  ['none', 'No due date'],
];

const MOVE_WORDS: Record<StatusMove, string> = {
  'In progress': 'In progress',
  Done: 'Done',
  Dropped: 'Dropped (say why)',
};

function select(
  label: string,
  name: keyof TrackerFilters,
  options: [string, string][],
  value: string,
): HTMLElement {
  const id = uniqueId(`filter-${name}`);
  const el = h('select', { id, attrs: { name } });
  for (const [v, text] of options) {
    const option = h('option', { attrs: { value: v } }, text);
    if (v === value) option.selected = true;
    el.append(option);
  }
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), el);
}

function dueCell(row: ActionRow): HTMLElement {
  const cell = h('td', { class: 'due' });
  if (!row.due) {
    cell.append(h('span', { class: 'muted' }, 'No date'));
    return cell;
  }
  cell.append(h('span', null, row.due.label));
  if (row.due.tentative) cell.append(' ', h('span', { class: 'muted' }, '(tentative)'));
  if (row.overdue) {
    const days = row.daysOverdue ? `${row.daysOverdue} day${row.daysOverdue === 1 ? '' : 's'} late` : '';
    cell.append(
      h(
        'span',
        { class: 'badge badge-overdue' },
        h('span', { class: 'badge-icon', attrs: { 'aria-hidden': 'true' } }, '⚠'),
        ' Overdue',
        days ? h('span', { class: 'badge-detail' }, ` · ${days}`) : null,
      ),
    );
  }
  return cell;
}

export interface TrackerOptions {
  api: Api;
  /** The personal tab starts on the person's own actions. */
  defaults?: Partial<TrackerFilters>;
  heading: string;
}

export class Tracker {
  private filters: TrackerFilters;
  private readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly alert: HTMLElement;
  private readonly body: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly headingId = uniqueId('tracker-heading');

  constructor(private readonly options: TrackerOptions) {
    this.filters = { status: 'active', owner: '', meeting: '', due: 'any', ...options.defaults };
    this.status = h('p', { class: 'live', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.alert = h('p', { class: 'live live-error', attrs: { role: 'alert' } });
    this.form = h('form', {
      class: 'filters',
      attrs: { role: 'search', 'aria-label': 'Filter actions' },
      on: { submit: (e) => e.preventDefault() },
    });
    this.body = h('div', { class: 'tracker-body' });
    this.root = h(
      'section',
      { class: 'tracker', attrs: { 'aria-labelledby': this.headingId } },
      h('h2', { id: this.headingId, attrs: { tabindex: '-1' } }, options.heading),
      this.form,
      this.status,
      this.alert,
      this.body,
    );
  }

  get element(): HTMLElement {
    return this.root;
  }

  focus(): void {
    this.root.querySelector<HTMLElement>(`#${this.headingId}`)?.focus();
  }

  async load(): Promise<void> {
    this.alert.textContent = '';
    let data: TrackerData;
    try {
      data = await this.options.api.get<TrackerData>('/tab/api/actions', { ...this.filters });
    } catch (err) {
      this.alert.textContent = err instanceof ApiFailure ? err.message : 'The actions could not be loaded.';
      return;
    }
    this.filters = data.filters;
    this.renderFilters(data);
    this.renderTable(data);
  }

  private renderFilters(data: TrackerData): void {
    const f = data.filters;
    clear(this.form);
    const owners: [string, string][] = [
      ['', 'Anyone'],
      ['me', 'Me'],
      ...data.options.owners.map((o): [string, string] => [o, o]),
    ];
    if (f.owner && f.owner !== 'me' && !data.options.owners.includes(f.owner))
      owners.push([f.owner, f.owner]);
    const meetings: [string, string][] = [
      ['', 'Any meeting'],
      ...data.options.meetings.map((m): [string, string] => [m, m]),
    ];
    if (f.meeting && !data.options.meetings.includes(f.meeting)) meetings.push([f.meeting, f.meeting]);
    this.form.append(
      select('Status', 'status', STATUS_OPTIONS, f.status),
      select('Owner', 'owner', owners, f.owner),
      select('Meeting', 'meeting', meetings, f.meeting),
      select('Due', 'due', DUE_OPTIONS, f.due),
    );
    this.form.querySelectorAll('select').forEach((el) =>
      el.addEventListener('change', () => {
        this.filters = { ...this.filters, [el.name]: el.value };
        void this.load().then(() => {
          this.form.querySelector<HTMLSelectElement>(`select[name="${el.name}"]`)?.focus();
        });
      }),
    );
  }

  private renderTable(data: TrackerData): void {
    clear(this.body);
    const overdue = data.counts.overdue;
    this.body.append(
      h(
        'p',
        { class: 'summary' },
        `${data.counts.shown} action${data.counts.shown === 1 ? '' : 's'} shown`,
        overdue ? `, ${overdue} overdue` : '',
        `. Today is ${data.todayLabel}.`,
      ),
    );
    if (!data.items.length) {
      this.body.append(h('p', { class: 'notice' }, 'No actions match these filters.'));
      return;
    }
    const table = h(
      'table',
      { class: 'actions-table' },
      h('caption', { class: 'visually-hidden' }, 'Actions, earliest due first'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Ref', 'Action', 'Owners', 'Due', 'Meeting', 'Status'].map((c) =>
            h('th', { attrs: { scope: 'col' } }, c),
          ),
        ),
      ),
      h('tbody', null, ...data.items.map((row) => this.renderRow(row))),
    );
    this.body.append(h('div', { class: 'table-wrap' }, table));
  }

  private renderRow(row: ActionRow): HTMLElement {
    return h(
      'tr',
      { class: row.overdue ? 'is-overdue' : undefined, attrs: { 'data-ref': row.ref } },
      h('th', { attrs: { scope: 'row', tabindex: '-1' } }, row.ref),
      h(
        'td',
        { class: 'text' },
        // In the personal tab of someone on several boards, each row names its board.
        ...(row.board ? [h('span', { class: 'muted' }, `${row.board}: `)] : []),
        row.sourceUrl ? link(row.text, row.sourceUrl) : row.text,
      ),
      h('td', null, row.owners.length ? row.owners.join(', ') : h('span', { class: 'muted' }, 'Nobody yet')),
      dueCell(row),
      h('td', null, row.meeting ?? ''),
      h('td', { class: 'status' }, h('span', { class: 'status-now' }, row.status), this.statusForm(row)),
    );
  }

  private statusForm(row: ActionRow): HTMLElement | null {
    if (!row.moves.length) return null;
    const selectId = uniqueId('move');
    const reasonId = uniqueId('reason');
    const choose = h(
      'select',
      { id: selectId, attrs: { name: 'status' } },
      h('option', { attrs: { value: '' } }, 'Change to…'),
      ...row.moves.map((m) => h('option', { attrs: { value: m } }, MOVE_WORDS[m])),
    );
    const reason = h('input', {
      id: reasonId,
      attrs: { name: 'reason', type: 'text', maxlength: '2000', autocomplete: 'off' },
    });
    const reasonField = h(
      'div',
      { class: 'field reason', attrs: { hidden: '' } },
      h('label', { attrs: { for: reasonId } }, `Why is ${row.ref} dropped?`),
      reason,
    );
    choose.addEventListener('change', () => {
      reasonField.hidden = choose.value !== 'Dropped';
    });
    const form = h(
      'form',
      { class: 'status-form', attrs: { 'aria-label': `Change the status of ${row.ref}` } },
      h('label', { attrs: { for: selectId } }, srOnly(`New status for ${row.ref}`)),
      choose,
      reasonField,
      h('button', { attrs: { type: 'submit' } }, 'Save', srOnly(` status of ${row.ref}`)),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.change(row.ref, choose.value, reason.value, form);
    });
    return form;
  }

  private async change(ref: string, status: string, reason: string, form: HTMLFormElement): Promise<void> {
    this.alert.textContent = '';
    if (!status) {
      this.alert.textContent = `Choose a new status for ${ref} first.`;
      return;
    }
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      const result = await this.options.api.post<StatusChangeResult>(
        `/tab/api/actions/${encodeURIComponent(ref)}/status`,
        { status, ...(status === 'Dropped' ? { reason } : {}) },
      );
      await this.load();
      this.status.textContent = result.message;
      const again = this.body.querySelector<HTMLElement>(`tr[data-ref="${ref}"] th`);
      (again ?? this.root.querySelector<HTMLElement>(`#${this.headingId}`))?.focus();
    } catch (err) {
      this.alert.textContent = err instanceof ApiFailure ? err.message : `${ref} could not be changed.`;
      if (button) button.disabled = false;
    }
  }
}

import { card, column, columns, container, heading, submit, text, userText } from './adaptive.js';
import type { AdaptiveCard, CardAction, CardElement, InputText, Json } from './adaptive.js';
import { AGENDA_FORM_MAX_ROWS } from './agenda-verbs.js';
import { execute } from './verbs.js';

/**
 * The form for a new (or draft) agenda pack: the meeting, then a row of inputs per item. In chat it
 * is a card whose Save is a Universal Action; in Teams it also opens as a dialog (task module), which
 * submits with Action.Submit. Long packs are pasted instead ("agenda import"): the form says so.
 */

export const AGENDA_NEW_DIALOG = 'agenda.new';
export const PURPOSE_CHOICES = ['For decision', 'For discussion', 'To note'] as const;

export interface FormRowView {
  number: string;
  title: string;
  presenter: string;
  minutes: string;
  purpose: string;
  papers: string;
}

export interface PackFormView {
  mode: 'card' | 'dialog';
  /** Idempotency key of this form: saving twice gives one draft. */
  key: string;
  /** Set when changing a draft. */
  ref?: string;
  board: string;
  /** YYYY-MM-DD, or empty. */
  date: string;
  time: string;
  venue: string;
  online: string;
  chair: string;
  rows: FormRowView[];
  problems?: string[];
}

export function emptyRow(n: number): FormRowView {
  return { number: String(n), title: '', presenter: '', minutes: '', purpose: '', papers: '' };
}

function input(id: string, label: string, value: string, extra: Partial<InputText> = {}): InputText {
  return { type: 'Input.Text', id, label, ...(value ? { value } : {}), ...extra };
}

function itemRow(r: FormRowView, k: number): CardElement {
  return container(
    [
      columns([
        {
          type: 'Column',
          width: '80px',
          items: [input(`i${k}n`, `Item ${k}: number`, r.number, { maxLength: 10 })],
        },
        column([
          input(`i${k}t`, `Item ${k}: title`, r.title, {
            maxLength: 255,
            ...(k === 1 ? { placeholder: 'e.g. Welcome and introductions' } : {}),
          }),
        ]),
      ]),
      columns(
        [
          column([input(`i${k}p`, `Item ${k}: presenter`, r.presenter, { maxLength: 120 })]),
          {
            type: 'Column',
            width: '90px',
            items: [input(`i${k}m`, `Item ${k}: minutes`, r.minutes, { maxLength: 12 })],
          },
          column([
            {
              type: 'Input.ChoiceSet',
              id: `i${k}u`,
              label: `Item ${k}: purpose`,
              style: 'compact',
              ...(r.purpose ? { value: r.purpose } : {}),
              choices: PURPOSE_CHOICES.map((p) => ({ title: p, value: p })),
            },
          ]),
        ],
        { spacing: 'Small' },
      ),
      input(`i${k}l`, `Item ${k}: papers (title and link, one a line)`, r.papers, {
        isMultiline: true,
        maxLength: 3000,
        ...(k === 1 ? { placeholder: 'e.g. Report https://…' } : {}),
        spacing: 'Small',
      }),
    ],
    { separator: true, spacing: 'Medium' },
  );
}

export function packFormCard(vm: PackFormView): AdaptiveCard {
  const rows = vm.rows.length;
  const data = { form: vm.key, rows, ...(vm.ref ? { ref: vm.ref } : {}) };
  const more = Math.min(AGENDA_FORM_MAX_ROWS, rows + 6);
  const actions: CardAction[] = [];
  if (vm.mode === 'card') {
    actions.push(
      vm.ref
        ? execute(
            'agendaUpdate',
            'Save draft',
            { ...data, ref: vm.ref },
            { associatedInputs: 'auto', style: 'positive' },
          )
        : execute('agendaCreate', 'Save draft', data, { associatedInputs: 'auto', style: 'positive' }),
    );
    if (rows < AGENDA_FORM_MAX_ROWS)
      actions.push(
        execute('agendaFormRows', 'More item rows', { ...data, rows: more }, { associatedInputs: 'auto' }),
      );
    if (!vm.ref)
      actions.push(
        submit(
          'Open in a larger window',
          { msteams: { type: 'task/fetch' }, dialog: AGENDA_NEW_DIALOG, form: vm.key },
          { associatedInputs: 'none' },
        ),
      );
  } else {
    const dialogData: { [key: string]: Json } = { dialog: AGENDA_NEW_DIALOG, ...data };
    actions.push(submit('Save draft', dialogData, { style: 'positive' }));
    if (rows < AGENDA_FORM_MAX_ROWS)
      actions.push(submit('More item rows', { ...dialogData, rows: more, more: true }));
  }
  return card(
    [
      heading(vm.ref ? `Edit draft agenda pack ${vm.ref}` : 'New agenda pack', { size: 'Medium' }),
      ...(vm.problems?.length
        ? [
            container(
              [
                text('Nothing was saved yet. Please fix:', { weight: 'Bolder', color: 'Attention' }),
                ...vm.problems.slice(0, 8).map((p) => userText(p, { color: 'Attention', spacing: 'None' })),
              ],
              { style: 'attention' },
            ),
          ]
        : []),
      text('The meeting', { weight: 'Bolder', spacing: 'Medium' }),
      input('board', 'Board', vm.board, {
        maxLength: 200,
        isRequired: true,
        errorMessage: 'Say which board is meeting.',
      }),
      columns([
        column([
          {
            type: 'Input.Date',
            id: 'date',
            label: 'Date',
            ...(vm.date ? { value: vm.date } : {}),
            isRequired: true,
            errorMessage: 'Give the date of the meeting.',
          },
        ]),
        column([
          input('time', 'Start time', vm.time, {
            maxLength: 20,
            placeholder: 'e.g. 10:00 or 6.30pm',
            isRequired: true,
            errorMessage: 'Give the start time.',
          }),
        ]),
      ]),
      input('venue', 'Venue', vm.venue, {
        maxLength: 255,
        placeholder: 'e.g. Committee Room 102, Hackney Town Hall',
      }),
      input('online', 'Online meeting link (optional)', vm.online, {
        maxLength: 2048,
        placeholder: 'https://teams.microsoft.com/l/meetup-join/…',
      }),
      input('chair', 'Chair', vm.chair, { maxLength: 120 }),
      text('The items', { weight: 'Bolder', spacing: 'Large' }),
      text(
        'Times run on from the start time, using each item\'s minutes. Leave a row\'s title empty to skip it. For a long pack, paste it instead: "agenda import", then the items one a line.',
        { isSubtle: true, size: 'Small', spacing: 'None' },
      ),
      ...vm.rows.map((r, i) => itemRow(r, i + 1)),
    ],
    actions,
    { fallbackText: 'New agenda pack: open this in Teams to fill in the form.' },
  );
}

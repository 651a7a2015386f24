import { card, heading, text } from './adaptive.js';
import type { AdaptiveCard, CardElement } from './adaptive.js';
import { execute } from './verbs.js';

/**
 * The officer's "consult new" form: a card in the channel whose Open button (officers only) turns
 * it into the consultation card in place. When something needs changing the same card comes back
 * with the officer's text kept, the problems listed at the top and each one under its field.
 */

export type NewFormField =
  | 'title'
  | 'url'
  | 'summary'
  | 'themes'
  | 'questions'
  | 'closesOn'
  | 'closesAt'
  | 'audience'
  | 'people'
  | 'anonymity'
  | 'countPer';

export interface NewFormView {
  /** Carried back on submit: makes a double click open one consultation, not two. */
  key: string;
  values: Partial<Record<NewFormField, string | undefined>>;
  problems?: Partial<Record<NewFormField, string>>;
  /** The earliest date the picker offers (today, London). */
  minDate?: string;
}

const LABELS: Record<NewFormField, string> = {
  title: 'Title',
  url: 'Link to the draft document',
  summary: 'Short summary',
  themes: "Themes: the strategy's priorities, one per line",
  questions: 'Questions, one per line',
  closesOn: 'Closing date',
  closesAt: 'Closing time (London)',
  audience: 'Who is asked',
  people: 'Chosen people (if you chose them), separated by ;',
  anonymity: 'Who may see who said what',
  countPer: 'What counts',
};

/** Every half hour, and one minute to midnight for "by the end of the day". */
export const CLOSING_TIMES: readonly string[] = [
  ...Array.from(
    { length: 48 },
    (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
  ),
  '23:59',
];

function problem(vm: NewFormView, field: NewFormField): CardElement[] {
  const p = vm.problems?.[field];
  return p ? [text(p, { color: 'Attention', size: 'Small', spacing: 'None' })] : [];
}

export function newConsultationFormCard(vm: NewFormView): AdaptiveCard {
  const v = vm.values;
  const problems = Object.entries(vm.problems ?? {});
  const input = (
    field: NewFormField,
    opts: { multiline?: boolean; maxLength: number; placeholder?: string; required?: boolean },
  ): CardElement[] => [
    {
      type: 'Input.Text',
      id: field,
      label: LABELS[field],
      value: v[field] ?? '',
      maxLength: opts.maxLength,
      ...(opts.multiline ? { isMultiline: true } : {}),
      ...(opts.placeholder ? { placeholder: opts.placeholder } : {}),
      ...(opts.required ? { isRequired: true, errorMessage: `${LABELS[field]} is needed.` } : {}),
    },
    ...problem(vm, field),
  ];
  const choice = (
    field: NewFormField,
    choices: { title: string; value: string }[],
    style: 'compact' | 'expanded',
  ): CardElement[] => [
    {
      type: 'Input.ChoiceSet',
      id: field,
      label: LABELS[field],
      style,
      choices,
      ...(v[field] ? { value: v[field] } : {}),
    },
    ...problem(vm, field),
  ];
  return card(
    [
      heading('New consultation', { size: 'Medium' }),
      text(
        'Ask the partnership for challenge on a draft strategy. Partners each get a personal invitation and can save and change their answers until it closes.',
        { isSubtle: true, size: 'Small', spacing: 'Small' },
      ),
      ...(problems.length
        ? [
            text(
              problems.length === 1
                ? 'One thing needs changing before it can open:'
                : `${problems.length} things need changing before it can open:`,
              { color: 'Attention', weight: 'Bolder' },
            ),
            ...problems.map(([field, p]) =>
              text(`${LABELS[field as NewFormField]}: ${p}`, {
                color: 'Attention',
                size: 'Small',
                spacing: 'None',
              }),
            ),
          ]
        : []),
      ...input('title', { maxLength: 255, placeholder: 'e.g. Draft Community Strategy 2018–2028' }),
      ...input('url', { maxLength: 2048, placeholder: 'https://…' }),
      ...input('summary', { multiline: true, maxLength: 2000 }),
      ...input('themes', {
        multiline: true,
        maxLength: 4000,
        placeholder: 'Tackling poverty and inequality\nResponding to the housing crisis',
      }),
      ...input('questions', { multiline: true, maxLength: 4000 }),
      {
        type: 'Input.Date',
        id: 'closesOn',
        label: LABELS.closesOn,
        ...(v.closesOn ? { value: v.closesOn } : {}),
      },
      ...problem(vm, 'closesOn'),
      ...choice(
        'closesAt',
        CLOSING_TIMES.map((t) => ({ title: t, value: t })),
        'compact',
      ),
      ...choice(
        'audience',
        [
          { title: "This channel's members", value: 'channel' },
          { title: 'Chosen people', value: 'people' },
          { title: 'The whole team', value: 'team' },
        ],
        'expanded',
      ),
      ...input('people', { multiline: true, maxLength: 4000, placeholder: 'Jake Ferguson; David Maher' }),
      ...choice(
        'anonymity',
        [
          { title: 'Named', value: 'Named' },
          { title: 'Anonymous to other partners', value: 'Anonymous to partners' },
          { title: 'Anonymous to everyone, officers included', value: 'Anonymous to everyone' },
        ],
        'expanded',
      ),
      ...choice(
        'countPer',
        [
          { title: 'One answer per person', value: 'Person' },
          { title: 'One answer per organisation', value: 'Organisation' },
        ],
        'expanded',
      ),
    ],
    [
      execute(
        'consultOpen',
        'Open consultation',
        { formKey: vm.key },
        { style: 'positive', associatedInputs: 'auto' },
      ),
    ],
    { fallbackText: 'New consultation form' },
  );
}

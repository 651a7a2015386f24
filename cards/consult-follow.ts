import {
  actionSet,
  card,
  column,
  columns,
  container,
  heading,
  openUrl,
  runs,
  text,
  userText,
} from './adaptive.js';
import type { AdaptiveCard, CardAction, CardElement, Column, ShowCardAction } from './adaptive.js';
import { type ConsultationView } from './consult.js';
import { RESPOND_SLOTS } from './consult-verbs.js';
import { plural } from './text.js';
import { execute } from './verbs.js';

/**
 * Cards for officers and chairs following a consultation (status with Remind, Respond, Close and
 * Export, and for officers the invitations to send again), and what goes to everyone afterwards: the summary in the channel, an initial response
 * to one partner, a reminder, and "you said, we did". Names appear only where the view model puts
 * them: the feature decides, by the consultation's anonymity, who may be named to whom.
 */

export interface ThemeCount {
  theme: string;
  helps: number;
  partly: number;
  doesNotHelp: number;
}

export interface PersonStatus {
  /** A name, or "Organisation …" when only that may be shown. */
  label: string;
  organisation?: string;
  state: 'submitted' | 'draft' | 'none';
}

export interface FeedbackEntry {
  /** The Feedback list item id (for Respond). */
  item: string;
  /** "Jake Ferguson, HCVS", "HCVS", or "A partner". */
  who: string;
  when: string;
  /** Short quotes of what they said (already cut). */
  quotes: { label: string; text: string }[];
  responses: string[];
  /** Counts under the per-organisation rule, or superseded by a later answer from the same organisation. */
  counts: boolean;
}

/**
 * How the personal invitations went, from the delivery log: for officers only, who can send again
 * those that failed or may not have arrived. Invitees' names, never anything about their answers.
 */
export interface InvitationDeliveries {
  /** Invitations Teams accepted. */
  delivered: number;
  /** Invitees whose invitation Failed, or is Unconfirmed (it may not have arrived), in invitation order. */
  notArrived: string[];
  /** Invitees whose invitation is still being sent (Pending, Sending, or not yet on the log). */
  sending: string[];
}

export interface StatusView {
  consultation: ConsultationView;
  open: boolean;
  invited: number;
  submitted: number;
  drafts: number;
  notYet: number;
  /** Organisations that answered, when organisations may be shown. */
  organisations?: { name: string; people: number }[];
  /** People by state, when names may be shown; undefined when answers are anonymous to everyone. */
  people?: PersonStatus[];
  themes: ThemeCount[];
  feedback: FeedbackEntry[];
  /** Feedback items beyond those shown. */
  moreFeedback: number;
  notice?: string;
  anonymousToEveryone: boolean;
  limits: { response: number };
  /** Present on an officer's card: how the invitations went. */
  invitations?: InvitationDeliveries;
}

const LIST_MAX = 40;
/** Names in a line about invitations before "and N more". */
export const INVITATION_NAMES_MAX = 10;
const FEEDBACK_MAX = RESPOND_SLOTS;

function count(value: number, label: string, attention = false): Column {
  return column([
    text(String(value), {
      size: 'ExtraLarge',
      weight: 'Bolder',
      spacing: 'None',
      ...(attention && value > 0 ? { color: 'Attention' as const } : {}),
    }),
    text(label, { size: 'Small', spacing: 'None' }),
  ]);
}

function themeRows(themes: ThemeCount[]): CardElement[] {
  if (!themes.length) return [];
  return [
    text('Do the themes help? (submitted answers that count)', { weight: 'Bolder', spacing: 'Large' }),
    ...themes.map((t) =>
      runs(
        [
          { text: `${t.theme}: `, weight: 'Bolder' },
          `helps ${t.helps} · partly ${t.partly} · does not help ${t.doesNotHelp}`,
        ],
        { spacing: 'Small' },
      ),
    ),
  ];
}

function names(list: PersonStatus[], state: PersonStatus['state'], title: string): CardElement[] {
  const people = list.filter((p) => p.state === state);
  if (!people.length) return [];
  const shown = people
    .slice(0, LIST_MAX)
    .map((p) => (p.organisation ? `${p.label} (${p.organisation})` : p.label));
  return [
    runs(
      [
        { text: `${title} (${people.length}): `, weight: 'Bolder' },
        shown.join('; '),
        people.length > LIST_MAX ? ` …and ${people.length - LIST_MAX} more` : '',
      ],
      { spacing: 'Small' },
    ),
  ];
}

/** "Dara O'Brien, Sonia Khan" or "A, B, … J and 2 more". */
function nameList(people: readonly string[]): string {
  const shown = people.slice(0, INVITATION_NAMES_MAX);
  const more = people.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

const invitations = (n: number) => plural(n, 'invitation');

/**
 * Invitations that failed or may not have arrived, with the button to send them again (while it
 * is open), and those still on their way. Nothing at all when every invitation was delivered.
 * Names are people's Teams names, so they go in TextRuns, never markdown.
 */
function invitationRows(vm: StatusView): CardElement[] {
  const inv = vm.invitations;
  // Once it has closed, invitations on their way no longer matter; those that never arrived still explain.
  const sending = vm.open ? inv?.sending.length : 0;
  if (!inv || (!inv.notArrived.length && !sending)) return [];
  const rows: CardElement[] = [];
  if (inv.notArrived.length) {
    const n = inv.notArrived.length;
    rows.push(
      userText(`${invitations(n)} may not have arrived: ${nameList(inv.notArrived)}.`, {
        weight: 'Bolder',
        color: 'Attention',
        spacing: 'Medium',
      }),
    );
    if (vm.open)
      rows.push(
        actionSet(
          [
            execute(
              'consultResend',
              'Send their invitations again',
              { ref: vm.consultation.ref },
              { associatedInputs: 'none' },
            ),
          ],
          { spacing: 'Small' },
        ),
      );
  }
  if (sending) {
    const n = inv.sending.length;
    rows.push(
      userText(`${invitations(n)} still being sent: ${nameList(inv.sending)}.`, {
        isSubtle: true,
        size: 'Small',
        spacing: inv.notArrived.length ? 'Small' : 'Medium',
      }),
    );
  }
  rows.push(
    text(`${inv.delivered} of ${invitations(vm.invited)} delivered.`, {
      isSubtle: true,
      size: 'Small',
      spacing: 'None',
    }),
  );
  return rows;
}

function respondForm(ref: string, entry: FeedbackEntry, slot: number, max: number): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: 'Respond',
    card: card(
      [
        {
          type: 'Input.Text',
          // Input ids are unique across the whole card, so each Respond box has its own.
          id: `reply${slot}`,
          label: `Initial response to ${entry.who}`,
          isMultiline: true,
          maxLength: max,
          isRequired: true,
          errorMessage: 'Write the response first.',
          placeholder: 'e.g. Could we do some longitudinal tracking within existing projects?',
        },
      ],
      [
        execute(
          'consultRespond',
          'Send response',
          { ref, item: entry.item, slot },
          { style: 'positive', associatedInputs: 'auto' },
        ),
      ],
    ),
  };
}

function feedbackBlock(ref: string, entry: FeedbackEntry, slot: number, max: number): CardElement {
  return container(
    [
      runs([
        { text: entry.who, weight: 'Bolder' },
        {
          text: ` · ${entry.when}${entry.counts ? '' : ' · superseded by a later answer from the same organisation'}`,
          isSubtle: true,
        },
      ]),
      ...entry.quotes.map((q) =>
        runs([{ text: `${q.label}: `, weight: 'Bolder' }, q.text], { spacing: 'None' }),
      ),
      ...entry.responses.map((r) => userText(r, { italic: true, spacing: 'Small' })),
      { type: 'ActionSet', actions: [respondForm(ref, entry, slot, max)], spacing: 'Small' },
    ],
    { separator: true, spacing: 'Medium' },
  );
}

/** Who has answered, counts per theme, and the feedback with Respond; Remind, Close, Export below. */
export function statusCard(vm: StatusView): AdaptiveCard {
  const c = vm.consultation;
  const actions: CardAction[] = [];
  if (vm.open) {
    actions.push(
      execute(
        'consultRemind',
        `Remind (${vm.notYet + vm.drafts})`,
        { ref: c.ref },
        { associatedInputs: 'none' },
      ),
      {
        type: 'Action.ShowCard',
        title: 'Close now',
        card: card(
          [
            text(
              `This closes ${c.ref} for everyone now, before ${c.closes}. Nobody can answer or change answers after it.`,
              { wrap: true },
            ),
          ],
          [
            execute(
              'consultClose',
              'Close consultation',
              { ref: c.ref },
              { style: 'destructive', associatedInputs: 'none' },
            ),
          ],
        ),
      },
    );
  } else {
    actions.push(execute('consultWeDid', 'You said, we did', { ref: c.ref }, { associatedInputs: 'none' }));
  }
  actions.push(
    execute('consultExport', 'Export', { ref: c.ref }, { associatedInputs: 'none' }),
    execute('consultStatus', 'Refresh', { ref: c.ref }, { associatedInputs: 'none' }),
  );
  return card(
    [
      heading(`Status · ${c.ref}`),
      ...(vm.notice ? [text(vm.notice, { weight: 'Bolder', spacing: 'Small' })] : []),
      userText(c.title, { weight: 'Bolder', spacing: 'Small' }),
      text(vm.open ? `Open · closes ${c.closes}` : (c.closed ?? 'Closed'), {
        isSubtle: true,
        spacing: 'None',
      }),
      ...(vm.anonymousToEveryone
        ? [
            text('Answers are anonymous to everyone, officers included: this card shows counts, not names.', {
              isSubtle: true,
              size: 'Small',
            }),
          ]
        : []),
      columns(
        [
          count(vm.invited, 'Invited'),
          count(vm.submitted, 'Answered'),
          count(vm.drafts, 'Draft saved'),
          count(vm.notYet, 'Not yet', vm.open),
        ],
        { spacing: 'Medium' },
      ),
      ...invitationRows(vm),
      ...(vm.organisations?.length
        ? [
            runs(
              [
                { text: `Organisations that answered (${vm.organisations.length}): `, weight: 'Bolder' },
                vm.organisations
                  .map((o) => (o.people > 1 ? `${o.name} (${o.people} people)` : o.name))
                  .join('; '),
              ],
              { spacing: 'Medium' },
            ),
          ]
        : []),
      ...(vm.people
        ? [
            ...names(vm.people, 'submitted', 'Answered'),
            ...names(vm.people, 'draft', 'Draft saved'),
            ...names(vm.people, 'none', 'Not yet'),
          ]
        : []),
      ...themeRows(vm.themes),
      ...(vm.feedback.length
        ? [
            text('Feedback', { weight: 'Bolder', spacing: 'Large' }),
            ...vm.feedback
              .slice(0, FEEDBACK_MAX)
              .map((f, i) => feedbackBlock(c.ref, f, i + 1, vm.limits.response)),
            ...(vm.moreFeedback > 0
              ? [
                  text(`…and ${vm.moreFeedback} more: export for all of it.`, {
                    isSubtle: true,
                    size: 'Small',
                  }),
                ]
              : []),
          ]
        : [text('No answers submitted yet.', { isSubtle: true, spacing: 'Medium' })]),
    ],
    actions,
    { fallbackText: `Status of ${c.ref}: ${vm.submitted} of ${vm.invited} answered.` },
  );
}

export interface SummaryView {
  consultation: ConsultationView;
  invited: number;
  responses: number;
  organisations: number;
  themes: ThemeCount[];
  /** Short, unattributed quotes. */
  quotes: string[];
}

/** Posted to the channel when it closes: responses, per-theme counts, short quotes (nobody named). */
export function summaryCard(vm: SummaryView): AdaptiveCard {
  const c = vm.consultation;
  return card(
    [
      heading(`Consultation closed · ${c.ref}`),
      userText(c.title, { weight: 'Bolder', spacing: 'Small' }),
      text(c.closed ?? 'Closed', { isSubtle: true, spacing: 'None' }),
      text(
        plural(vm.responses, 'response') +
          (vm.organisations ? ` from ${plural(vm.organisations, 'organisation')}` : '') +
          ` (${vm.invited} invited).`,
        { spacing: 'Medium' },
      ),
      ...themeRows(vm.themes),
      ...(vm.quotes.length
        ? [
            text('What partners said', { weight: 'Bolder', spacing: 'Large' }),
            ...vm.quotes.map((q) => userText(`“${q}”`, { italic: true, spacing: 'Small' })),
          ]
        : []),
      text(
        'Thank you. Officers will use all the feedback in the final version and report back what changed.',
        {
          isSubtle: true,
          size: 'Small',
          spacing: 'Medium',
        },
      ),
    ],
    [],
    { fallbackText: `Consultation ${c.ref} closed: ${vm.responses} responses.` },
  );
}

/** An officer's initial response, sent to the partner it answers. */
export function initialResponseCard(vm: {
  ref: string;
  title: string;
  officer: string;
  response: string;
  /** A short quote of what the partner said, to remind them. */
  said?: string;
}): AdaptiveCard {
  return card(
    [
      heading(`Initial response from ${vm.officer}`, { size: 'Medium' }),
      runs([{ text: `On your answers to ${vm.ref}: `, weight: 'Bolder' }, vm.title], { spacing: 'Small' }),
      ...(vm.said ? [userText(`You said: “${vm.said}”`, { isSubtle: true, spacing: 'Small' })] : []),
      userText(vm.response, { spacing: 'Medium' }),
    ],
    [execute('consultAnswer', 'See my answers', { ref: vm.ref }, { associatedInputs: 'none' })],
    { fallbackText: `Initial response from ${vm.officer}` },
  );
}

/** A nudge for those who have not answered (once a day at most). */
export function reminderCard(vm: { consultation: ConsultationView; draft: boolean }): AdaptiveCard {
  const c = vm.consultation;
  return card(
    [
      heading('A reminder: your views are invited', { size: 'Medium' }),
      runs([{ text: `${c.ref} · `, weight: 'Bolder' }, c.title], { spacing: 'Small' }),
      text(
        vm.draft
          ? `You saved a draft but have not submitted it. It closes ${c.closes}.`
          : `We have not had your answers yet. It closes ${c.closes}.`,
        { spacing: 'Small' },
      ),
    ],
    [
      execute(
        'consultAnswer',
        vm.draft ? 'Continue my answers' : 'Answer',
        { ref: c.ref },
        { style: 'positive', associatedInputs: 'none' },
      ),
    ],
    { fallbackText: `Reminder: consultation ${c.ref} closes ${c.closes}.` },
  );
}

/** Links to the export, for the officer only; they stop working after `expires`. */
export function exportCard(vm: {
  ref: string;
  title: string;
  xlsx: string;
  csv: string;
  expires: string;
  anonymous: boolean;
  rows: number;
}): AdaptiveCard {
  return card(
    [
      heading(`Export · ${vm.ref}`, { size: 'Medium' }),
      userText(vm.title, { weight: 'Bolder', spacing: 'Small' }),
      text(`${plural(vm.rows, 'response')}, every answer in full, with initial responses.`, {
        spacing: 'Small',
      }),
      ...(vm.anonymous
        ? [text('This consultation is anonymous: the files name nobody.', { spacing: 'Small' })]
        : []),
      text(`These links are for you and work until ${vm.expires}. Ask again for fresh ones.`, {
        isSubtle: true,
        size: 'Small',
        spacing: 'Small',
      }),
    ],
    [openUrl('Download Excel (.xlsx)', vm.xlsx), openUrl('Download CSV', vm.csv)],
    { fallbackText: `Export of ${vm.ref}` },
  );
}

export interface WeDidFormView {
  consultation: ConsultationView;
  values: { general?: string; themes: string[] };
  problems?: string[];
  max: number;
  responses: number;
}

/** The officer's "you said, we did": per theme, what changed in the final strategy. */
export function weDidFormCard(vm: WeDidFormView): AdaptiveCard {
  const c = vm.consultation;
  return card(
    [
      heading(`You said, we did · ${c.ref}`, { size: 'Medium' }),
      userText(c.title, { weight: 'Bolder', spacing: 'Small' }),
      text(
        `Per theme, what changed in the final strategy. The ${plural(vm.responses, 'partner who answered is', 'partners who answered are')} told, and it is posted to the channel.`,
        {
          isSubtle: true,
          size: 'Small',
        },
      ),
      ...(vm.problems?.length
        ? vm.problems.map((p) => text(p, { color: 'Attention', weight: 'Bolder' }))
        : []),
      ...c.themes.map((t, i): CardElement => ({
        type: 'Input.Text',
        id: `w${i + 1}`,
        label: t.length > 120 ? `${t.slice(0, 119)}…` : t,
        value: vm.values.themes[i] ?? '',
        isMultiline: true,
        maxLength: vm.max,
      })),
      {
        type: 'Input.Text',
        id: 'general',
        label: c.themes.length ? 'Anything else that changed' : 'What changed',
        value: vm.values.general ?? '',
        isMultiline: true,
        maxLength: vm.max,
      },
    ],
    [
      execute(
        'consultWeDidSave',
        'Tell partners',
        { ref: c.ref },
        { style: 'positive', associatedInputs: 'auto' },
      ),
    ],
    { fallbackText: `You said, we did: ${c.ref}` },
  );
}

export function weDidCard(vm: {
  consultation: ConsultationView;
  general?: string;
  themes: { theme: string; text: string }[];
  by: string;
  when: string;
}): AdaptiveCard {
  const c = vm.consultation;
  return card(
    [
      heading('You said, we did'),
      runs([{ text: `${c.ref} · `, weight: 'Bolder' }, c.title], { spacing: 'Small' }),
      text(`What changed in the final strategy after the consultation. Recorded by ${vm.by} on ${vm.when}.`, {
        isSubtle: true,
        size: 'Small',
        spacing: 'Small',
      }),
      ...vm.themes.flatMap((t): CardElement[] => [
        userText(t.theme, { weight: 'Bolder', spacing: 'Medium' }),
        userText(t.text, { spacing: 'Small' }),
      ]),
      ...(vm.general
        ? [text('Also', { weight: 'Bolder', spacing: 'Medium' }), userText(vm.general, { spacing: 'Small' })]
        : []),
      text('Thank you for your challenge and your time.', { spacing: 'Medium' }),
    ],
    [],
    { fallbackText: `You said, we did: ${c.ref}` },
  );
}

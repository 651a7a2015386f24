import { card, container, facts, fitsBudget, heading, openUrl, runs, text, userText } from './adaptive.js';
import type { AdaptiveCard, CardAction, CardElement, ExecuteAction } from './adaptive.js';
import { cut } from './text.js';
import { execute } from './verbs.js';

/**
 * Cards a partner sees: the consultation card in the channel, the personal invitation, the answer
 * form with their own answers, and the receipt. Pure functions of view models. Everything people
 * typed (the draft's title and summary, themes, questions, answers) goes through TextRuns, which
 * never render markdown, so "*urgent*" or a pasted <script> is shown exactly as typed.
 *
 * The consultation card and the invitation carry a Universal Actions `refresh`, so each person sees
 * their own state (answered, draft saved, not yet); forms never carry one, so a refresh can never
 * replace a form someone is filling in.
 */

export type Rating = 'Helps' | 'Partly' | 'Does not help';

export interface ConsultationView {
  ref: string;
  title: string;
  summary: string;
  documentUrl?: string;
  themes: string[];
  questions: string[];
  /** "Friday 9 March 2018 at 17:00" */
  closes: string;
  /** "Closed on Friday 9 March 2018 at 17:00", once closed. */
  closed?: string;
  anonymity: string;
  countPer: 'Person' | 'Organisation';
  openedBy: string;
  /** Teams ids of the people whose view refreshes automatically (Teams takes at most 60). */
  refreshFor?: string[];
}

export interface AnswerView {
  organisation?: string;
  answers: { question: string; answer: string }[];
  themes: { theme: string; rating?: Rating; comment: string }[];
}

export interface MyState {
  state: 'none' | 'draft' | 'submitted';
  /** "Tuesday 6 March 2018 at 10:04" */
  when?: string;
  answers?: AnswerView;
  /** The officers' initial responses to this person, as dated lines. */
  responses?: string[];
}

const REFRESH_USERS_MAX = 60;
const SUMMARY_SHOWN = 600;

function refreshOf(
  vm: ConsultationView,
  view: 'channel' | 'invitation',
): { refresh: { action: ExecuteAction; userIds?: string[] } } {
  const ids = (vm.refreshFor ?? []).slice(0, REFRESH_USERS_MAX);
  return {
    refresh: {
      action: execute('consultRefresh', 'Refresh', { ref: vm.ref, view }, { associatedInputs: 'none' }),
      ...(ids.length ? { userIds: ids } : {}),
    },
  };
}

function about(vm: ConsultationView, opts: { summary: boolean }): CardElement[] {
  return [
    userText(vm.title, { weight: 'Bolder', spacing: 'Small' }),
    ...(opts.summary && vm.summary ? [userText(cut(vm.summary, SUMMARY_SHOWN), { spacing: 'Small' })] : []),
    ...(vm.themes.length
      ? [
          text('Themes', { weight: 'Bolder', spacing: 'Medium' }),
          ...vm.themes.map((t, i) => userText(`${i + 1}. ${t}`, { spacing: 'None' })),
        ]
      : []),
    facts(
      [
        [vm.closed ? 'Closed' : 'Closes', vm.closed ?? vm.closes],
        ['Answers', vm.anonymity],
        ['Counted', vm.countPer === 'Organisation' ? 'One answer per organisation' : 'One answer per person'],
        ['Opened by', vm.openedBy],
      ],
      { spacing: 'Medium' },
    ),
  ];
}

function linkButton(vm: ConsultationView): CardAction[] {
  return vm.documentUrl ? [openUrl('Read the draft', vm.documentUrl)] : [];
}

function mine(state: MyState | undefined): CardElement[] {
  if (!state) return [];
  if (state.state === 'none')
    return [text('You have not answered yet.', { weight: 'Bolder', spacing: 'Medium' })];
  if (state.state === 'draft')
    return [
      text(`You saved a draft${state.when ? ` on ${state.when}` : ''}; it is not submitted yet.`, {
        weight: 'Bolder',
        spacing: 'Medium',
        color: 'Warning',
      }),
    ];
  return [
    text(`You answered${state.when ? ` on ${state.when}` : ''}. Thank you.`, {
      weight: 'Bolder',
      spacing: 'Medium',
      color: 'Good',
    }),
  ];
}

/** The Answer button's title, by how far the person has got. */
function answerButtonTitle(state: MyState | undefined): string {
  if (state?.state === 'submitted') return 'Change my answers';
  return state?.state === 'draft' ? 'Continue my answers' : 'Answer';
}

/** The card in the channel: what is asked, by when; Answer for partners, Status for officers. */
export function consultationCard(
  vm: ConsultationView,
  opts: { state?: MyState; notice?: string } = {},
): AdaptiveCard {
  if (vm.closed) return closedConsultationCard(vm, 'channel', opts.state);
  const answerTitle = answerButtonTitle(opts.state);
  return card(
    [
      heading(`Consultation ${vm.ref}`),
      ...(opts.notice ? [text(opts.notice, { weight: 'Bolder', spacing: 'Small' })] : []),
      ...about(vm, { summary: true }),
      ...mine(opts.state),
      text('Partners: press Answer. You can save, come back and change your answers until it closes.', {
        isSubtle: true,
        size: 'Small',
        spacing: 'Medium',
      }),
    ],
    [
      execute('consultAnswer', answerTitle, { ref: vm.ref }, { style: 'positive', associatedInputs: 'none' }),
      ...linkButton(vm),
      execute('consultStatus', 'Status', { ref: vm.ref }, { associatedInputs: 'none' }),
    ],
    { ...refreshOf(vm, 'channel'), fallbackText: `Consultation ${vm.ref}: ${cut(vm.title, 120)}` },
  );
}

/** The personal invitation, in each partner's chat with the bot. */
export function invitationCard(
  vm: ConsultationView,
  opts: { state?: MyState; name?: string } = {},
): AdaptiveCard {
  if (vm.closed) return closedConsultationCard(vm, 'invitation', opts.state);
  const answerTitle = answerButtonTitle(opts.state);
  return card(
    [
      heading('Your views are invited'),
      text(
        `${opts.name ? `${opts.name}, the` : 'The'} partnership is asked for challenge on a draft strategy before it goes to Cabinet (${vm.ref}).`,
        { spacing: 'Small' },
      ),
      ...about(vm, { summary: true }),
      ...mine(opts.state),
    ],
    [
      execute('consultAnswer', answerTitle, { ref: vm.ref }, { style: 'positive', associatedInputs: 'none' }),
      ...linkButton(vm),
    ],
    {
      ...refreshOf(vm, 'invitation'),
      fallbackText: `You are invited to answer consultation ${vm.ref}: ${cut(vm.title, 120)}`,
    },
  );
}

export interface AnswerFormView {
  consultation: ConsultationView;
  /** The fingerprint of this consultation's questions and themes. */
  print: string;
  answers?: AnswerView;
  /** Ask for the organisation (not when anonymous to everyone and counted per person). */
  askOrganisation: boolean;
  organisation?: string;
  problems?: string[];
  notice?: string;
  /** Limits, for the inputs' maxLength. */
  limits: { answer: number; comment: number; organisation: number };
}

/** The form: each question, then each theme with helps / partly / does not help and a comment. */
export function answerFormCard(vm: AnswerFormView): AdaptiveCard {
  const c = vm.consultation;
  const themeChoices = [
    { title: 'Helps', value: 'Helps' },
    { title: 'Partly', value: 'Partly' },
    { title: 'Does not help', value: 'Does not help' },
  ];
  const body: CardElement[] = [
    heading(`Your answers · ${c.ref}`, { size: 'Medium' }),
    userText(c.title, { weight: 'Bolder', spacing: 'Small' }),
    text(
      `Closes ${c.closes}. Save to come back later; Submit when you are done. You can change them until it closes.`,
      {
        isSubtle: true,
        size: 'Small',
        spacing: 'Small',
      },
    ),
    ...(vm.notice ? [text(vm.notice, { weight: 'Bolder', spacing: 'Small' })] : []),
    ...(vm.problems?.length
      ? [
          text(
            vm.problems.length === 1
              ? 'Nothing was saved:'
              : `Nothing was saved; ${vm.problems.length} things need changing:`,
            {
              color: 'Attention',
              weight: 'Bolder',
            },
          ),
          ...vm.problems.map((p) => text(p, { color: 'Attention', size: 'Small', spacing: 'None' })),
        ]
      : []),
    ...(vm.askOrganisation
      ? [
          {
            type: 'Input.Text' as const,
            id: 'org',
            label: c.countPer === 'Organisation' ? 'The organisation you answer for' : 'Your organisation',
            value: vm.answers?.organisation ?? vm.organisation ?? '',
            maxLength: vm.limits.organisation,
            placeholder: 'e.g. HCVS',
          },
        ]
      : []),
    ...c.questions.flatMap((q, i): CardElement[] => [
      userText(`${i + 1}. ${q}`, { weight: 'Bolder', spacing: 'Medium' }),
      {
        type: 'Input.Text',
        id: `q${i + 1}`,
        label: `Answer to question ${i + 1}`,
        value: vm.answers?.answers[i]?.answer ?? '',
        isMultiline: true,
        maxLength: vm.limits.answer,
      },
    ]),
    ...(c.themes.length
      ? [
          text("Do the strategy's themes help you address your challenges?", {
            weight: 'Bolder',
            spacing: 'Large',
          }),
          ...c.themes.flatMap((t, i): CardElement[] => {
            const mineNow = vm.answers?.themes[i];
            return [
              container(
                [
                  userText(t, { weight: 'Bolder' }),
                  {
                    type: 'Input.ChoiceSet',
                    id: `r${i + 1}`,
                    label: `Does "${cut(t, 60)}" help?`,
                    style: 'compact',
                    choices: themeChoices,
                    ...(mineNow?.rating ? { value: mineNow.rating } : {}),
                  },
                  {
                    type: 'Input.Text',
                    id: `c${i + 1}`,
                    label: 'Comment (optional)',
                    value: mineNow?.comment ?? '',
                    isMultiline: true,
                    maxLength: vm.limits.comment,
                  },
                ],
                { separator: true, spacing: 'Medium' },
              ),
            ];
          }),
        ]
      : []),
  ];
  return card(
    body,
    [
      execute(
        'consultSubmit',
        'Submit',
        { ref: c.ref, fp: vm.print },
        { style: 'positive', associatedInputs: 'auto' },
      ),
      execute('consultSave', 'Save draft', { ref: c.ref, fp: vm.print }, { associatedInputs: 'auto' }),
      ...linkButton(c),
    ],
    { fallbackText: `Your answers to consultation ${c.ref}` },
  );
}

function answerBlocks(a: AnswerView, max: number): CardElement[] {
  const shown = (s: string) =>
    s.length > max ? `${s.slice(0, max)}… (shortened here; all of it is saved)` : s;
  return [
    ...(a.organisation
      ? [runs([{ text: 'Organisation: ', weight: 'Bolder' }, a.organisation], { spacing: 'Small' })]
      : []),
    ...a.answers.flatMap((x, i): CardElement[] => [
      userText(`${i + 1}. ${x.question}`, { weight: 'Bolder', spacing: 'Medium' }),
      x.answer
        ? userText(shown(x.answer), { spacing: 'Small' })
        : text('No answer', { isSubtle: true, spacing: 'Small' }),
    ]),
    ...(a.themes.some((t) => t.rating || t.comment)
      ? [
          text('Themes', { weight: 'Bolder', spacing: 'Medium' }),
          ...a.themes
            .filter((t) => t.rating || t.comment)
            .map((t) =>
              runs(
                [
                  { text: `${t.theme}: `, weight: 'Bolder' },
                  t.rating ?? 'no rating',
                  ...(t.comment ? [` – ${shown(t.comment)}`] : []),
                ],
                { spacing: 'Small' },
              ),
            ),
        ]
      : []),
  ];
}

/** Cards stay under Teams' size limit: very long answers are shortened on the card, never in the list. */
function withinBudget(build: (max: number) => AdaptiveCard): AdaptiveCard {
  for (const max of [Number.MAX_SAFE_INTEGER, 1500, 600, 200]) {
    const c = build(max);
    if (fitsBudget(c)) return c;
  }
  return build(80);
}

export interface ReceiptView {
  consultation: ConsultationView;
  submitted: boolean;
  /** "Tuesday 6 March 2018 at 10:04" */
  when: string;
  answers: AnswerView;
  notice?: string;
  responses?: string[];
}

/** What was recorded, word for word, with Change until it closes. */
export function receiptCard(vm: ReceiptView): AdaptiveCard {
  const c = vm.consultation;
  return withinBudget((max) =>
    card(
      [
        heading(vm.submitted ? 'Your answers are recorded' : 'Your draft is saved'),
        ...(vm.notice ? [text(vm.notice, { weight: 'Bolder', spacing: 'Small' })] : []),
        runs([{ text: `${c.ref} · `, weight: 'Bolder' }, c.title], { spacing: 'Small' }),
        text(
          vm.submitted
            ? `Submitted on ${vm.when}. You can change your answers until ${c.closes}.`
            : `Saved on ${vm.when}, not submitted yet. Submit before ${c.closes} for it to count.`,
          { isSubtle: true, size: 'Small', spacing: 'Small' },
        ),
        ...answerBlocks(vm.answers, max),
        ...responseBlocks(vm.responses),
      ],
      [
        execute(
          'consultAnswer',
          vm.submitted ? 'Change my answers' : 'Continue my answers',
          { ref: c.ref },
          { associatedInputs: 'none' },
        ),
      ],
      {
        ...refreshOf(c, 'invitation'),
        fallbackText: `Your answers to ${c.ref} are ${vm.submitted ? 'recorded' : 'saved'}.`,
      },
    ),
  );
}

function responseBlocks(responses: string[] | undefined): CardElement[] {
  if (!responses?.length) return [];
  return [
    text('Initial responses', { weight: 'Bolder', spacing: 'Medium' }),
    ...responses.map((r) => userText(r, { italic: true, spacing: 'Small' })),
  ];
}

/** Read-only once closed: "Closed on …", with the person's own answers when they gave any. */
export function closedConsultationCard(
  vm: ConsultationView,
  view: 'channel' | 'invitation',
  state?: MyState,
): AdaptiveCard {
  return withinBudget((max) =>
    card(
      [
        heading(`Consultation ${vm.ref} · Closed`),
        text(vm.closed ?? `Closed on ${vm.closes}`, { weight: 'Bolder', spacing: 'Small' }),
        ...about(vm, { summary: false }),
        ...(state?.state === 'submitted' && state.answers
          ? [
              text(`Your answers${state.when ? ` (${state.when})` : ''}`, {
                weight: 'Bolder',
                spacing: 'Large',
              }),
              ...answerBlocks(state.answers, max),
            ]
          : state?.state === 'draft'
            ? [
                text('Your draft was not submitted before it closed, so it does not count.', {
                  spacing: 'Medium',
                  isSubtle: true,
                }),
              ]
            : []),
        ...responseBlocks(state?.responses),
        text('Answers can no longer be given or changed. Officers will report back what changed.', {
          isSubtle: true,
          size: 'Small',
          spacing: 'Medium',
        }),
      ],
      linkButton(vm),
      { ...refreshOf(vm, view), fallbackText: `Consultation ${vm.ref} is closed.` },
    ),
  );
}

/** A polite no: the consultation has closed (or the card is from another one), with what to do. */
export function noticeCard(title: string, lines: string[], actions: CardAction[] = []): AdaptiveCard {
  return card(
    [
      heading(title, { size: 'Medium' }),
      ...lines.map((l, i) => text(l, { spacing: i ? 'Small' : 'Default' })),
    ],
    actions,
  );
}

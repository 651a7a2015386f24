import { actionSet, card, container, heading, labelled, openUrl, runs, text, userText } from './adaptive.js';
import type {
  AdaptiveCard,
  CardAction,
  CardElement,
  RichTextBlock,
  ShowCardAction,
  TextRun,
} from './adaptive.js';
import { cut } from './text.js';
import { execute } from './verbs.js';

/**
 * The agenda pack: the meeting, its items with presenter, clock time and purpose, the papers as
 * links, the supplements that followed, live attendance counts and, after the meeting, what was
 * resolved. Members answer attendance on it; officers manage it from their own view of it. A pack
 * too big for one card becomes a summary card plus item cards (`packParts`), never a failed send.
 *
 * Everything officers or members typed (titles, names, venue, notes, decisions) goes through
 * TextRuns, which never render markdown; paper links are Action.OpenUrl buttons, checked as web
 * addresses before they were saved.
 */

export type PackStatusView = 'Draft' | 'Published' | 'Held' | 'Cancelled';
export type AnswerView = 'Attending' | 'Apologies' | 'Substitute';

export interface PaperView {
  title: string;
  url: string;
  /** The supplement that added it. */
  supplement?: number;
}

export interface ItemView {
  number: string;
  title: string;
  presenter?: string;
  /** Clock time it starts ("10:15"), when the times before it are known. */
  time?: string;
  minutes?: number;
  purpose?: string;
  papers: PaperView[];
  details?: string;
  decision?: string;
}

export interface CountsView {
  attending: number;
  apologies: number;
  substitutes: number;
  /** Members invited who have not answered, when the invitation list is known. */
  notAnswered?: number;
}

export interface SupplementView {
  number: number;
  /** "19 December" */
  date: string;
  note: string;
}

export interface PackView {
  ref: string;
  board: string;
  status: PackStatusView;
  version: number;
  /** "Monday 26 February 2018, 10:00 to 12:00" */
  when: string;
  venue?: string;
  onlineUrl?: string;
  chair?: string;
  supplements: SupplementView[];
  items: ItemView[];
  counts?: CountsView;
  minutesUrl?: string;
  /** The meeting has started: attendance can no longer change. */
  started: boolean;
}

export interface ViewerView {
  /** Officers see management buttons; members answer attendance. */
  role: 'member' | 'officer';
  answer?: { response: AnswerView; substituteName?: string; substituteOrganisation?: string };
  notice?: string;
  /** Shown on a copy sent to a member personally. */
  personal?: boolean;
}

const ITEM_TITLE_MAX = 255;
const DETAIL_MAX = 1500;
const DECISION_MAX = 1500;

/** A label and its value, the labels lined up. */
const row = (label: string, value: CardElement) => labelled(label, value, '70px');

export function answerWords(answer: NonNullable<ViewerView['answer']>): string {
  switch (answer.response) {
    case 'Attending':
      return 'attending';
    case 'Apologies':
      return 'apologies';
    case 'Substitute': {
      const org = answer.substituteOrganisation ? `, ${answer.substituteOrganisation}` : '';
      return `apologies, with ${answer.substituteName ?? 'a substitute'}${org} attending on your behalf`;
    }
  }
}

export function countsLine(c: CountsView): string {
  const parts = [
    `Attending ${c.attending}`,
    `Apologies ${c.apologies + c.substitutes}${c.substitutes ? ` (${c.substitutes} sending a substitute)` : ''}`,
  ];
  if (c.notAnswered !== undefined) parts.push(`Not answered ${c.notAnswered}`);
  return parts.join(' · ');
}

function itemMeta(item: ItemView): (string | Omit<TextRun, 'type'>)[] {
  const parts: (string | Omit<TextRun, 'type'>)[] = [];
  const add = (r: string | Omit<TextRun, 'type'>) => {
    if (parts.length) parts.push(' · ');
    parts.push(r);
  };
  if (item.time) add({ text: item.time, weight: 'Bolder' });
  if (item.minutes) add(`${item.minutes} minutes`);
  if (item.presenter) add(item.presenter);
  if (item.purpose) add({ text: item.purpose, italic: true });
  return parts;
}

function paperButton(p: PaperView): CardAction {
  return openUrl(cut(p.supplement ? `${p.title} (supplement ${p.supplement})` : p.title, 60), p.url);
}

export function itemBlock(item: ItemView): CardElement {
  const meta = itemMeta(item);
  return container(
    [
      runs([
        { text: `${item.number}. `, weight: 'Bolder' },
        { text: cut(item.title, ITEM_TITLE_MAX), weight: 'Bolder' },
      ]),
      ...(meta.length ? [runs(meta, { spacing: 'None' })] : []),
      ...(item.details
        ? [userText(cut(item.details, DETAIL_MAX), { isSubtle: true, spacing: 'Small' })]
        : []),
      ...(item.decision
        ? [
            runs(
              [{ text: 'Decision: ', weight: 'Bolder', color: 'Good' }, cut(item.decision, DECISION_MAX)],
              {
                spacing: 'Small',
              },
            ),
          ]
        : []),
      ...(item.papers.length ? [actionSet(item.papers.map(paperButton), { spacing: 'Small' })] : []),
    ],
    { separator: true, spacing: 'Medium' },
  );
}

function meetingBlocks(vm: PackView): CardElement[] {
  return [
    userText(vm.board, { weight: 'Bolder', spacing: 'Small' }),
    row('When', text(vm.when, { spacing: 'None' })),
    ...(vm.venue ? [row('Where', userText(vm.venue))] : []),
    ...(vm.onlineUrl
      ? [row('Online', text('Teams meeting: use "Join online" below', { spacing: 'None' }))]
      : []),
    ...(vm.chair ? [row('Chair', userText(vm.chair))] : []),
  ];
}

export function supplementLine(s: SupplementView): RichTextBlock {
  return runs([{ text: `Supplement ${s.number}, published ${s.date}: `, weight: 'Bolder' }, s.note], {
    spacing: 'None',
  });
}

function statusLine(vm: PackView): string {
  switch (vm.status) {
    case 'Draft':
      return 'Draft: not published yet. Check it, then publish it to the channel.';
    case 'Cancelled':
      return 'This pack was discarded.';
    case 'Held':
      return `Version ${vm.version}. The meeting has been held.`;
    case 'Published':
      return vm.version > 1
        ? `Version ${vm.version}: the pack with ${vm.version - 1} supplement${vm.version > 2 ? 's' : ''}.`
        : 'Version 1.';
  }
}

function headingOf(vm: PackView): string {
  if (vm.status === 'Draft') return `Draft agenda pack ${vm.ref}`;
  if (vm.status === 'Cancelled') return `Discarded agenda pack ${vm.ref}`;
  return `Agenda pack ${vm.ref}`;
}

function attendanceBlocks(vm: PackView, viewer: ViewerView): CardElement[] {
  if (vm.status !== 'Published' && vm.status !== 'Held') return [];
  const blocks: CardElement[] = [];
  if (vm.counts) blocks.push(text(countsLine(vm.counts), { spacing: 'Medium', weight: 'Bolder' }));
  if (viewer.role === 'member') {
    if (viewer.answer)
      blocks.push(
        runs([{ text: 'Your answer: ', weight: 'Bolder' }, answerWords(viewer.answer)], { spacing: 'Small' }),
      );
    if (vm.started || vm.status === 'Held')
      blocks.push(
        text('The meeting has started, so attendance can no longer be changed here.', {
          isSubtle: true,
          size: 'Small',
        }),
      );
    else {
      if (!viewer.answer) blocks.push(text('Will you attend?', { spacing: 'Small' }));
      blocks.push(actionSet(attendanceButtons(vm.ref, viewer), { spacing: 'Small' }));
    }
  }
  return blocks;
}

export function substituteForm(ref: string, viewer: Pick<ViewerView, 'answer'>): ShowCardAction {
  const answer = viewer.answer?.response === 'Substitute' ? viewer.answer : undefined;
  return {
    type: 'Action.ShowCard',
    title: 'Sending a substitute',
    card: card(
      [
        {
          type: 'Input.Text',
          id: 'substituteName',
          label: 'Who will attend on your behalf?',
          placeholder: 'e.g. Rory McCallum',
          maxLength: 120,
          isRequired: true,
          errorMessage: 'Give the name of the colleague attending for you.',
          ...(answer?.substituteName ? { value: answer.substituteName } : {}),
        },
        {
          type: 'Input.Text',
          id: 'substituteOrganisation',
          label: 'Their organisation and role',
          placeholder: "e.g. Senior Professional Advisor, Children's Safeguarding Board",
          maxLength: 120,
          ...(answer?.substituteOrganisation ? { value: answer.substituteOrganisation } : {}),
        },
      ],
      [
        execute(
          'agendaSubstitute',
          'Send substitute',
          { ref },
          { associatedInputs: 'auto', style: 'positive' },
        ),
      ],
    ),
  };
}

export function attendanceButtons(ref: string, viewer: Pick<ViewerView, 'answer'>): CardAction[] {
  return [
    execute(
      'agendaAttend',
      'Attending',
      { ref },
      { associatedInputs: 'none', style: viewer.answer?.response === 'Attending' ? 'positive' : 'default' },
    ),
    execute('agendaApologies', 'Apologies', { ref }, { associatedInputs: 'none' }),
    substituteForm(ref, viewer),
  ];
}

function supplementForm(ref: string, key: string): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: 'Add a supplementary paper',
    card: card(
      [
        {
          type: 'Input.Text',
          id: 'item',
          label: 'Item number',
          placeholder: 'e.g. 8',
          maxLength: 10,
          isRequired: true,
          errorMessage: 'Which item is the paper for?',
        },
        {
          type: 'Input.Text',
          id: 'paperTitle',
          label: 'Paper title',
          placeholder: 'e.g. Presentation slides',
          maxLength: 80,
          isRequired: true,
          errorMessage: 'Give the paper a title.',
        },
        {
          type: 'Input.Text',
          id: 'paperUrl',
          label: 'Link to the paper',
          placeholder: 'https://…',
          maxLength: 2048,
          isRequired: true,
          errorMessage: 'Give the link to the paper.',
        },
        {
          type: 'Input.Text',
          id: 'note',
          label: 'What it adds (optional)',
          placeholder: 'e.g. adds the slides for item 8',
          maxLength: 300,
        },
      ],
      [
        execute(
          'agendaSupplement',
          'Publish supplement',
          { ref, form: key },
          { associatedInputs: 'auto', style: 'positive' },
        ),
      ],
    ),
  };
}

/** Officers' buttons: a draft is checked and published; a published pack is kept up to date. */
export function officerActions(vm: PackView, supplementKey: string): CardAction[] {
  const ref = vm.ref;
  if (vm.status === 'Draft')
    return [
      execute(
        'agendaPublish',
        'Publish to this channel',
        { ref, members: false },
        { associatedInputs: 'none', style: 'positive' },
      ),
      execute(
        'agendaPublish',
        'Publish and send to each member',
        { ref, members: true },
        { associatedInputs: 'none' },
      ),
      execute('agendaEdit', 'Edit', { ref }, { associatedInputs: 'none' }),
      execute('agendaDiscard', 'Discard', { ref }, { associatedInputs: 'none', style: 'destructive' }),
    ];
  if (vm.status === 'Cancelled') return [];
  const buttons: CardAction[] = [
    execute('agendaSheet', 'Attendance sheet', { ref }, { associatedInputs: 'none' }),
  ];
  if (vm.status === 'Published') buttons.push(supplementForm(ref, supplementKey));
  buttons.push(execute('agendaDecisionsForm', 'Record decisions', { ref }, { associatedInputs: 'none' }));
  if (vm.status === 'Published')
    buttons.push(
      execute('agendaPublish', 'Send to each member', { ref, members: true }, { associatedInputs: 'none' }),
    );
  if (vm.version > 1)
    buttons.push(
      execute(
        'agendaChanges',
        'What changed',
        { ref, from: vm.version - 1, to: vm.version },
        { associatedInputs: 'none' },
      ),
    );
  return buttons;
}

function memberActions(vm: PackView): CardAction[] {
  const buttons: CardAction[] = [];
  if (vm.onlineUrl && vm.status !== 'Cancelled') buttons.push(openUrl('Join online', vm.onlineUrl));
  if (vm.minutesUrl) buttons.push(openUrl('Minutes', vm.minutesUrl));
  if (vm.version > 1)
    buttons.push(
      execute(
        'agendaChanges',
        'What changed',
        { ref: vm.ref, from: vm.version - 1, to: vm.version },
        { associatedInputs: 'none' },
      ),
    );
  return buttons;
}

function header(vm: PackView, viewer: ViewerView): CardElement[] {
  return [
    heading(headingOf(vm)),
    ...(viewer.personal && vm.status === 'Published'
      ? [text('The papers for your next meeting are published.', { spacing: 'None', isSubtle: true })]
      : []),
    ...(viewer.notice ? [userText(viewer.notice, { weight: 'Bolder', spacing: 'Small' })] : []),
    ...meetingBlocks(vm),
    text(statusLine(vm), { isSubtle: true, size: 'Small', spacing: 'Small' }),
    ...vm.supplements.map(supplementLine),
  ];
}

export interface PackCardOptions {
  /** Key for the supplement form's idempotency (one per rendering). */
  supplementKey?: string;
}

function actionsFor(vm: PackView, viewer: ViewerView, options: PackCardOptions): CardAction[] {
  if (viewer.role === 'officer') {
    const own = officerActions(vm, options.supplementKey ?? '0'.repeat(24));
    const extra = memberActions(vm).filter((b) => b.type === 'Action.OpenUrl');
    return [...own, ...extra].slice(0, 6);
  }
  return memberActions(vm);
}

/** The whole pack on one card. */
export function packCard(vm: PackView, viewer: ViewerView, options: PackCardOptions = {}): AdaptiveCard {
  return card(
    [
      ...header(vm, viewer),
      ...attendanceBlocks(vm, viewer),
      text(vm.items.length === 1 ? '1 item' : `${vm.items.length} items`, {
        weight: 'Bolder',
        spacing: 'Large',
      }),
      ...vm.items.map(itemBlock),
    ],
    actionsFor(vm, viewer, options),
    { fallbackText: `${headingOf(vm)}: ${vm.board}, ${vm.when}` },
  );
}

export interface PartView {
  index: number;
  count: number;
  from: string;
  to: string;
}

/**
 * Buttons to a long pack's parts on its summary card: an action set shows at most five (the host's
 * maxActions; Teams drops the rest without a word), and later parts are reached part to part.
 */
const MAX_PART_BUTTONS = 5;

/** The summary of a long pack: the meeting and one line per item; the items follow on their own cards. */
export function packSummaryCard(
  vm: PackView,
  viewer: ViewerView,
  parts: PartView[],
  options: PackCardOptions & { titleMax?: number; maxLines?: number; showParts?: boolean } = {},
): AdaptiveCard {
  const titleMax = options.titleMax ?? 90;
  const shown = vm.items.slice(0, options.maxLines ?? vm.items.length);
  // Two runs a line: a long pack has a hundred of them, and the card has 40 KB.
  const lines = shown.map((item) => {
    const papers = item.papers.length
      ? ` · ${item.papers.length} paper${item.papers.length > 1 ? 's' : ''}`
      : '';
    return runs(
      [
        { text: `${item.time ? `${item.time}  ` : ''}${item.number}. `, weight: 'Bolder' },
        `${cut(item.title, titleMax)}${papers}`,
      ],
      {
        spacing: 'None',
      },
    );
  });
  const hidden = vm.items.length - shown.length;
  const partButtons = options.showParts
    ? parts.map((p) =>
        execute(
          'agendaItems',
          `Items ${p.from}–${p.to}`,
          { ref: vm.ref, part: p.index },
          { associatedInputs: 'none' },
        ),
      )
    : [];
  return card(
    [
      ...header(vm, viewer),
      ...attendanceBlocks(vm, viewer),
      text(`${vm.items.length} items`, { weight: 'Bolder', spacing: 'Large' }),
      text(
        options.showParts
          ? 'This pack is long: open the items below to see presenters, purposes and papers.'
          : 'This pack is long: the items, with presenters, purposes and papers, follow in this thread.',
        { isSubtle: true, size: 'Small', spacing: 'None' },
      ),
      ...lines,
      ...(hidden
        ? [text(`… and ${hidden} more items on the item cards.`, { isSubtle: true, spacing: 'None' })]
        : []),
      ...(partButtons.length
        ? [actionSet(partButtons.slice(0, MAX_PART_BUTTONS), { spacing: 'Medium' })]
        : []),
      ...(partButtons.length > MAX_PART_BUTTONS
        ? [
            text(
              `The items after ${parts[MAX_PART_BUTTONS - 1]!.to} are reached with Next items on the last of these.`,
              { isSubtle: true, size: 'Small', spacing: 'Small' },
            ),
          ]
        : []),
    ],
    actionsFor(vm, viewer, options),
    { fallbackText: `${headingOf(vm)}: ${vm.board}, ${vm.when}` },
  );
}

/** One card of a long pack's items. */
export function packPartCard(vm: PackView, items: ItemView[], part: PartView, back = false): AdaptiveCard {
  return card(
    [
      heading(`Agenda pack ${vm.ref}: items ${part.from}–${part.to}`, { size: 'Medium' }),
      userText(`${vm.board} · ${vm.when}`, { isSubtle: true, spacing: 'None' }),
      text(`Part ${part.index} of ${part.count}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
      ...items.map(itemBlock),
    ],
    // Opened from the pack (not in its thread): the pack links only its first parts, so each part also
    // leads to its neighbours and every item stays reachable however long the pack.
    back
      ? [
          execute('agendaShow', 'Back to the pack', { ref: vm.ref }, { associatedInputs: 'none' }),
          ...(part.index > 1
            ? [
                execute(
                  'agendaItems',
                  'Previous items',
                  { ref: vm.ref, part: part.index - 1 },
                  { associatedInputs: 'none' },
                ),
              ]
            : []),
          ...(part.index < part.count
            ? [
                execute(
                  'agendaItems',
                  'Next items',
                  { ref: vm.ref, part: part.index + 1 },
                  { associatedInputs: 'none' },
                ),
              ]
            : []),
        ]
      : [],
    { fallbackText: `Agenda pack ${vm.ref}, items ${part.from}–${part.to}` },
  );
}

/** The short notice a supplement leaves in the pack's thread. */
export function supplementNoticeCard(vm: PackView, s: SupplementView, papers: PaperView[]): AdaptiveCard {
  return card(
    [
      heading(`Supplement ${s.number} to agenda pack ${vm.ref}`, { size: 'Medium' }),
      supplementLine(s),
      userText(`${vm.board} · ${vm.when}`, { isSubtle: true, spacing: 'Small' }),
      text(`The pack above now shows version ${vm.version}.`, { size: 'Small', spacing: 'Small' }),
      ...(papers.length ? [actionSet(papers.slice(0, 5).map(paperButton), { spacing: 'Small' })] : []),
    ],
    [
      execute(
        'agendaChanges',
        'What changed',
        { ref: vm.ref, from: vm.version - 1, to: vm.version },
        { associatedInputs: 'none' },
      ),
      execute('agendaShow', 'Open the pack', { ref: vm.ref }, { associatedInputs: 'none' }),
    ],
    { fallbackText: `Supplement ${s.number} to agenda pack ${vm.ref}: ${s.note}` },
  );
}

/** The day before: a nudge to members who have not said whether they will attend. */
export function attendanceReminderCard(vm: PackView): AdaptiveCard {
  return card(
    [
      heading('Will you attend tomorrow?', { size: 'Medium' }),
      userText(vm.board, { weight: 'Bolder', spacing: 'Small' }),
      row('When', text(vm.when, { spacing: 'None' })),
      ...(vm.venue ? [row('Where', userText(vm.venue))] : []),
      text('Please let the officer know: attending, apologies, or a colleague attending on your behalf.', {
        spacing: 'Small',
      }),
      actionSet(attendanceButtons(vm.ref, {}), { spacing: 'Small' }),
    ],
    [execute('agendaShow', 'Open the pack', { ref: vm.ref }, { associatedInputs: 'none' })],
    { fallbackText: `Will you attend ${vm.board} tomorrow? Open the agenda pack to answer.` },
  );
}

/** A plain line in place of an item card that a supplement made unnecessary. */
export function retiredPartCard(vm: PackView): AdaptiveCard {
  return card(
    [
      heading(`Agenda pack ${vm.ref}`, { size: 'Medium' }),
      text(`The items are now on the other cards of this pack (version ${vm.version}).`, { isSubtle: true }),
    ],
    [execute('agendaShow', 'Open the pack', { ref: vm.ref }, { associatedInputs: 'none' })],
  );
}

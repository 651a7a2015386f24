/**
 * The one definition of Partnership Board's SharePoint lists.
 *
 * Provisioning (infra/provision), the local lists service (infra/local) and every store read this
 * module, so a column added here exists everywhere. `Actions` is a public contract: admins build
 * views on it, so its columns change only with a note in the README.
 */

export type ColumnType = 'text' | 'note' | 'dateOnly' | 'dateTime' | 'boolean' | 'choice' | 'number';

export interface ColumnDef {
  /** Internal and display name (SharePoint keeps them equal when created without spaces). */
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  readonly indexed?: boolean;
  /** SharePoint requires unique columns to be indexed; `unique` implies `indexed`. */
  readonly unique?: boolean;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  readonly maxLength?: number;
}

export interface ListDef {
  readonly name: ListName;
  readonly description: string;
  /** What the built-in Title column holds in this list. */
  readonly title: string;
  readonly columns: readonly ColumnDef[];
  /**
   * Built-in columns this list's queries filter on first, so they must be indexed too (SharePoint
   * lets Created and Modified be indexed: "Add an index to a list or library column").
   */
  readonly indexedBuiltIns?: readonly ('Created' | 'Modified')[];
}

export const LIST_NAMES = [
  'Boards',
  'Actions',
  'Meetings',
  'AgendaItems',
  'Attendance',
  'Consultations',
  'Feedback',
  'Deliveries',
  'Conversations',
] as const;
export type ListName = (typeof LIST_NAMES)[number];

export const ACTION_STATUSES = ['Open', 'In progress', 'Done', 'Dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ITEM_PURPOSES = ['For decision', 'For discussion', 'To note'] as const;
export const ATTENDANCE_RESPONSES = ['Attending', 'Apologies', 'Substitute'] as const;
export const MEETING_STATUSES = ['Draft', 'Published', 'Held', 'Cancelled'] as const;
export const CONSULTATION_STATUSES = ['Draft', 'Open', 'Closed'] as const;
/**
 * Pending: planned, not yet tried (or tried and refused with a 429, so certainly not delivered).
 * Sending: claimed by one process and handed to Teams. Unconfirmed: that process stopped before it
 * could record the answer, so the message may have arrived; it is never re-sent automatically.
 */
export const DELIVERY_STATUSES = ['Pending', 'Sending', 'Sent', 'Failed', 'Unconfirmed'] as const;
export const CONVERSATION_TYPES = ['personal', 'groupChat', 'channel'] as const;
export const BOARD_STATUSES = ['Active', 'Inactive'] as const;
/** The lists whose items belong to one board: each has an indexed BoardId column (issue 12). */
export const BOARD_LISTS = [
  'Actions',
  'Meetings',
  'AgendaItems',
  'Attendance',
  'Consultations',
  'Feedback',
  'Deliveries',
  'Conversations',
] as const satisfies readonly ListName[];
export type BoardListName = (typeof BOARD_LISTS)[number];

const text = (name: string, description: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({
  name,
  type: 'text',
  description,
  ...extra,
});
const note = (name: string, description: string): ColumnDef => ({ name, type: 'note', description });
/** Idempotency key: a re-sent create finds the first item instead of making a second. */
const key = (name: string, description: string): ColumnDef =>
  text(name, description, { unique: true, indexed: true, required: true });

/**
 * The board an item belongs to: the team id. Every query of a board's record leads with it (the
 * first indexed clause, which stays selective as the installation grows), so it is indexed.
 */
const boardId = (): ColumnDef =>
  text('BoardId', "The board's team id (19:…@thread.tacv2)", { indexed: true });

const BOARDS: ListDef = {
  name: 'Boards',
  description: 'The partnership boards: one per Teams team the app is installed in, with its roles.',
  title: "the board's name (the team's name when installed)",
  columns: [
    text('TeamId', "The team's id (19:…@thread.tacv2)", { unique: true, indexed: true, required: true }),
    text('GroupId', "The team's Microsoft 365 group id", { indexed: true }),
    note('Officers', 'UPNs, emails or Entra object ids, separated by ; or new lines'),
    note('Chairs', 'UPNs, emails or Entra object ids, separated by ; or new lines'),
    {
      name: 'Status',
      type: 'choice',
      description: 'Active while the app is installed in the team',
      indexed: true,
      required: true,
      choices: BOARD_STATUSES,
    },
    note('History', 'Dated lines: who changed the roles and how'),
    text('ServiceUrl', "The team's Bot Framework service URL, for reading its roster"),
    text('InstalledBy', 'Who installed the app in the team (Entra object id)'),
  ],
};

const RECORD_LISTS: readonly ListDef[] = [
  {
    name: 'Actions',
    description: 'Actions agreed by the board, its meetings and its chats.',
    title: 'the action, at most 255 characters (the full text is in Details when longer)',
    // "Done in the last 30 days" leads with Modified, which stays selective as done actions pile up.
    indexedBuiltIns: ['Modified'],
    columns: [
      note('Details', 'Full text and dated notes'),
      text('ActionRef', 'Human reference, e.g. A-0042', { unique: true, indexed: true, required: true }),
      text('Owners', "Owners' display names joined by '; '", { indexed: true }),
      note('OwnerIds', "Owners' Entra object ids, where known"),
      { name: 'DueDate', type: 'dateOnly', description: 'The due date', indexed: true },
      text('DueText', 'The due phrase as written'),
      { name: 'Tentative', type: 'boolean', description: 'Due date marked TBC or inferred from a season' },
      {
        name: 'Status',
        type: 'choice',
        description: 'Where the action stands',
        indexed: true,
        required: true,
        choices: ACTION_STATUSES,
      },
      text('MeetingRef', 'The meeting the action came from', { indexed: true }),
      text('SourceUrl', 'Link to the chat message'),
      key('SourceKey', 'Idempotency key, e.g. from the activity id'),
      text('LoggedBy', 'Who logged it'),
      text('LogRef', "The board's own reference from an imported action log or minute, e.g. 12 or 9.2", {
        indexed: true,
      }),
    ],
  },
  {
    name: 'Meetings',
    description: 'Board meetings and the current version of their agenda packs.',
    title: 'the meeting, e.g. "Community Strategy Partnership Board, 26 February 2018"',
    columns: [
      text('MeetingRef', 'Human reference, e.g. M-0007', { unique: true, indexed: true, required: true }),
      text('Board', 'The board that meets', { indexed: true, required: true }),
      { name: 'StartsAt', type: 'dateTime', description: 'Start, UTC', indexed: true, required: true },
      text('Venue', 'Venue'),
      text('OnlineUrl', 'Teams meeting link'),
      text('Chair', 'Chair of the meeting'),
      {
        name: 'Status',
        type: 'choice',
        description: 'Pack status',
        indexed: true,
        required: true,
        choices: MEETING_STATUSES,
      },
      { name: 'Version', type: 'number', description: 'Pack version: 1, then one more per supplement' },
      note('Versions', 'Every published version of the pack, as JSON'),
      text('ConversationId', 'Channel conversation the pack was posted to', { indexed: true }),
      text('ActivityId', 'Id of the posted pack card, to update it in place'),
      text('MinutesUrl', 'Link to the minutes'),
      note('Invited', 'Members the pack was published to (Entra ids and names), as JSON'),
      key('SourceKey', 'Idempotency key'),
    ],
  },
  {
    name: 'AgendaItems',
    description: 'Numbered items of a meeting, with presenters, timings, purposes, papers and decisions.',
    title: 'the item title',
    columns: [
      text('MeetingRef', 'The meeting', { indexed: true, required: true }),
      text('ItemNumber', 'Item number as printed, e.g. 9 or 9.1', { required: true }),
      { name: 'Sequence', type: 'number', description: 'Order on the agenda' },
      text('Presenter', 'Who presents'),
      { name: 'Minutes', type: 'number', description: 'Time slot in minutes' },
      { name: 'Purpose', type: 'choice', description: 'Why it is on the agenda', choices: ITEM_PURPOSES },
      note('Papers', 'Papers as JSON: title, url, supplement number'),
      note('Decision', 'What was resolved'),
      note('Details', 'What the item covers, e.g. the open actions under Matters arising'),
      note('History', 'The item as each published version of the pack had it, as JSON'),
      { name: 'Withdrawn', type: 'boolean', description: 'Withdrawn from the pack by a supplement' },
      key('ItemKey', 'MeetingRef and item number'),
    ],
  },
  {
    name: 'Attendance',
    description: "Each member's current answer for a meeting: attending, apologies or a substitute.",
    title: "the member's display name",
    columns: [
      text('MeetingRef', 'The meeting', { indexed: true, required: true }),
      text('MemberId', 'Entra object id of the member', { indexed: true, required: true }),
      text('Organisation', "The member's organisation"),
      {
        name: 'Response',
        type: 'choice',
        description: 'The answer',
        indexed: true,
        choices: ATTENDANCE_RESPONSES,
      },
      text('SubstituteName', 'Who attends on their behalf'),
      text('SubstituteOrganisation', "The substitute's organisation"),
      key('AttendanceKey', 'MeetingRef and member id: one current answer per member'),
    ],
  },
  {
    name: 'Consultations',
    description: 'Consultations on draft strategies.',
    title: 'the consultation title',
    columns: [
      text('ConsultationRef', 'Human reference, e.g. C-0003', {
        unique: true,
        indexed: true,
        required: true,
      }),
      text('DocumentUrl', 'Link to the draft document'),
      note('Summary', 'Short summary'),
      note('Themes', "The strategy's themes, as JSON"),
      note('Questions', 'The questions, as JSON'),
      { name: 'ClosesAt', type: 'dateTime', description: 'Closing date and time, UTC', indexed: true },
      text('Audience', 'channel, chosen people or team, as JSON'),
      {
        name: 'Anonymity',
        type: 'choice',
        description: 'Who sees who answered',
        choices: ['Named', 'Anonymous to partners', 'Anonymous to everyone'],
      },
      {
        name: 'CountPer',
        type: 'choice',
        description: 'One answer per',
        choices: ['Person', 'Organisation'],
      },
      {
        name: 'Status',
        type: 'choice',
        description: 'Where it stands',
        indexed: true,
        required: true,
        choices: CONSULTATION_STATUSES,
      },
      text('ConversationId', 'Channel it was published to', { indexed: true }),
      text('ActivityId', 'Id of the consultation card in the channel'),
      text('OpenedBy', 'The officer who opened it'),
      note('YouSaidWeDid', 'Per theme, what changed in the final strategy, as JSON'),
      note('Invitees', 'The people invited (Entra ids, Teams ids and names), as JSON'),
      { name: 'ClosedAt', type: 'dateTime', description: 'When it closed, UTC' },
      key('SourceKey', 'Idempotency key'),
    ],
  },
  {
    name: 'Feedback',
    description: "Partners' answers to consultations, with officers' initial responses.",
    title: "the respondent's display name (blank when anonymous to everyone)",
    columns: [
      text('ConsultationRef', 'The consultation', { indexed: true, required: true }),
      text('RespondentId', 'Entra object id, or a one-way hash when anonymous', { indexed: true }),
      text('Organisation', "Respondent's organisation", { indexed: true }),
      note('Answers', 'Answers to the questions, as JSON'),
      note('ThemeRatings', 'Per theme: helps, partly or does not help, with a comment, as JSON'),
      note('History', 'Earlier versions of the answers, as JSON'),
      note('OfficerResponse', "The officer's initial response"),
      text('RespondedBy', 'The officer who responded'),
      { name: 'Submitted', type: 'boolean', description: 'Submitted rather than saved as a draft' },
      { name: 'AnsweredAt', type: 'dateTime', description: 'When the respondent last saved, UTC' },
      key('FeedbackKey', 'ConsultationRef and respondent (or organisation)'),
    ],
  },
  {
    name: 'Deliveries',
    description: 'Every proactive message the bot sends, so a fan-out resumes without sending twice.',
    title: 'what was sent, e.g. "Consultation C-0003 invitation"',
    columns: [
      key('DeliveryKey', 'Campaign and recipient'),
      text('Campaign', 'The fan-out this delivery belongs to', { indexed: true, required: true }),
      text('RecipientId', 'Entra object id or conversation id of the recipient', { indexed: true }),
      text('ConversationId', 'Conversation the message went to'),
      {
        name: 'Status',
        type: 'choice',
        description: 'Pending, Sending, Sent, Failed or Unconfirmed',
        indexed: true,
        required: true,
        choices: DELIVERY_STATUSES,
      },
      { name: 'Attempts', type: 'number', description: 'Send attempts so far' },
      note('LastError', 'Why the last attempt failed'),
      { name: 'SentAt', type: 'dateTime', description: 'When it was sent, UTC' },
      text('ActivityId', 'Id of the sent activity; while Sending, "claim:" and who holds the claim'),
      {
        name: 'AttemptedAt',
        type: 'dateTime',
        description:
          'When the latest attempt began, UTC: a Sending item older than a few minutes was cut off',
      },
      note(
        'Payload',
        'The message planned for this recipient (text and card), as JSON, so a resumed fan-out sends it',
      ),
    ],
  },
  {
    name: 'Conversations',
    description: 'Where the bot is installed: references for proactive messages.',
    title: 'the conversation or person, as shown in Teams',
    columns: [
      key('ConversationKey', 'Stable key of the conversation'),
      text('ConversationId', 'Teams conversation id'),
      {
        name: 'ConversationType',
        type: 'choice',
        description: 'personal, groupChat or channel',
        indexed: true,
        choices: CONVERSATION_TYPES,
      },
      text('UserId', 'Entra object id, for a personal chat', { indexed: true }),
      text('TeamId', 'Team id, for a channel', { indexed: true }),
      text('TenantId', 'Tenant id'),
      text('ServiceUrl', 'Bot Framework service URL'),
      note('Reference', 'The full conversation reference, as JSON'),
      { name: 'Active', type: 'boolean', description: 'False once the bot is removed' },
    ],
  },
];

export const LISTS: readonly ListDef[] = [
  BOARDS,
  ...RECORD_LISTS.map((def) => ({ ...def, columns: [boardId(), ...def.columns] })),
];

export function listDef(name: ListName): ListDef {
  const def = LISTS.find((l) => l.name === name);
  if (!def) throw new Error(`Unknown list ${name}`);
  return def;
}

export function columnDef(list: ListName, column: string): ColumnDef | undefined {
  if (column === 'Title') return { name: 'Title', type: 'text', description: listDef(list).title };
  return listDef(list).columns.find((c) => c.name === column);
}

/** Graph `columnDefinition` JSON for one column (POST /sites/{site}/lists/{list}/columns). */
export function toGraphColumn(col: ColumnDef): Record<string, unknown> {
  const base: Record<string, unknown> = {
    name: col.name,
    displayName: col.name,
    description: col.description,
    indexed: Boolean(col.indexed || col.unique),
    enforceUniqueValues: Boolean(col.unique),
    required: Boolean(col.required),
  };
  switch (col.type) {
    case 'text':
      return { ...base, text: { allowMultipleLines: false, maxLength: col.maxLength ?? 255 } };
    case 'note':
      return { ...base, text: { allowMultipleLines: true, textType: 'plain', linesForEditing: 6 } };
    case 'dateOnly':
      return { ...base, dateTime: { format: 'dateOnly', displayAs: 'standard' } };
    case 'dateTime':
      return { ...base, dateTime: { format: 'dateTime', displayAs: 'standard' } };
    case 'boolean':
      return { ...base, boolean: {} };
    case 'number':
      return { ...base, number: { decimalPlaces: 'none' } };
    case 'choice':
      return {
        ...base,
        choice: { choices: [...(col.choices ?? [])], displayAs: 'dropDownMenu', allowTextEntry: false },
      };
  }
}

/** Graph JSON to create a list with all its columns in one request (POST /sites/{site}/lists). */
export function toGraphList(def: ListDef): Record<string, unknown> {
  return {
    displayName: def.name,
    description: def.description,
    list: { template: 'genericList' },
    columns: def.columns.map(toGraphColumn),
  };
}

/** Recognise a Graph column's type, to check an existing list against the schema. */
export function graphColumnType(col: Record<string, unknown>): ColumnType | undefined {
  const t = col.text as { allowMultipleLines?: boolean } | undefined;
  if (t) return t.allowMultipleLines ? 'note' : 'text';
  const d = col.dateTime as { format?: string } | undefined;
  if (d) return d.format === 'dateOnly' ? 'dateOnly' : 'dateTime';
  if (col.boolean) return 'boolean';
  if (col.number) return 'number';
  if (col.choice) return 'choice';
  return undefined;
}

/** A column as Graph returns it (columnDefinition), the parts provisioning checks. */
export interface GraphColumnLike {
  name?: string;
  indexed?: boolean;
  enforceUniqueValues?: boolean;
  choice?: { choices?: string[] };
}

/**
 * What a column on the site lacks against the schema: the `PATCH .../columns/{id}` body that gives
 * it back its index, its uniqueness and its choices, or undefined when it is right. SharePoint has
 * been reported to drop column settings sent with a new list (microsoft-graph-docs#11966), so
 * provisioning reads every column back and applies these.
 */
export function columnFix(col: ColumnDef, found: GraphColumnLike): Record<string, unknown> | undefined {
  const fix: Record<string, unknown> = {};
  if ((col.indexed || col.unique) && found.indexed !== true) fix.indexed = true;
  if (col.unique && found.enforceUniqueValues !== true) fix.enforceUniqueValues = true;
  if (col.type === 'choice' && col.choices) {
    const have = found.choice?.choices ?? [];
    const missing = col.choices.filter((c) => !have.includes(c));
    if (missing.length) fix.choice = { choices: [...have, ...missing] };
  }
  return Object.keys(fix).length ? fix : undefined;
}

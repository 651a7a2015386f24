import { z } from 'zod';
import type { ExecuteAction, Json } from './adaptive.js';
import {
  AGENDA_CHANGES,
  AGENDA_DECISIONS,
  AGENDA_EDIT_FORM,
  AGENDA_ITEMS_PART,
  AGENDA_NEW_FORM,
  AGENDA_PUBLISH,
  AGENDA_SHEET,
  AGENDA_SUBSTITUTE,
  AGENDA_SUPPLEMENT,
  MEETING_BUTTON,
} from './agenda-verbs.js';
import {
  CONSULT_ANSWERS,
  CONSULT_BUTTON,
  CONSULT_NEW_FORM,
  CONSULT_REFRESH,
  CONSULT_RESPOND,
  CONSULT_WE_DID,
} from './consult-verbs.js';

/**
 * Every card verb, declared once: its name, the shape of its data, and a builder for the button.
 * Card builders make buttons only through `execute()`, and the bot routes only verbs declared here,
 * so a button can never point at a handler that does not exist (a test checks both directions).
 */

export interface VerbDef<S extends z.ZodType> {
  readonly name: string;
  readonly data: S;
  readonly description: string;
}

function verb<S extends z.ZodType>(name: string, data: S, description: string): VerbDef<S> {
  return { name, data, description };
}

export const HELP_TOPICS = ['actions', 'agenda', 'consult'] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

/** An action reference as cards carry it: "A-0042". */
const ACTION_REF = z.string().regex(/^A-\d{4,7}$/);
const FORM_TEXT = (max: number) => z.string().max(max).optional();

/** A chair's question, carried by "More" and "Back to the list" buttons to ask it again. */
export const ACTIONS_QUERY = z
  .object({
    scope: z.enum(['all', 'mine', 'person', 'meeting']),
    view: z.enum(['open', 'overdue', 'all']),
    name: z.string().min(1).max(100).optional(),
    meeting: z.string().min(1).max(100).optional(),
  })
  .strict();
export type ActionsQueryData = z.infer<typeof ACTIONS_QUERY>;

const ACTION_BUTTON = z.object({ ref: ACTION_REF, back: ACTIONS_QUERY.optional() }).strict();
const IMPORT_KEY = z.string().regex(/^[a-f0-9]{16,64}$/);
/**
 * An import as its preview carries it: the pasted text (or the attached file read as CSV), deflated
 * and base64url-encoded so that two buttons can carry it within a card's 40 KB; the column reading and
 * owner choices shown; the meeting it is imported against. The card's inputs (col_N, who_XX, keep_N,
 * apologies) come with it.
 */
const IMPORT_DATA = z
  .object({
    importKey: IMPORT_KEY,
    at: z.iso.datetime(),
    text: z.string().min(1).max(24_000).optional(),
    packed: z
      .string()
      .min(1)
      .max(40_000)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    format: z.enum(['csv']).optional(),
    meeting: z
      .string()
      .regex(/^M-\d{4,7}$/)
      .optional(),
    cols: z.string().max(400).optional(),
    who: z.string().max(2000).optional(),
    skip: z
      .string()
      .max(1000)
      .regex(/^[\d,]*$/)
      .optional(),
  })
  .loose()
  .refine((d) => d.text !== undefined || d.packed !== undefined, 'the import carries no text');

/** The roles an officer sets on the board settings card. */
export const BOARD_ROLES_SET = ['officer', 'chair'] as const;
const PERSON_KEY = z.string().min(1).max(200);

export const VERBS = {
  boardsChoose: verb(
    'boards.choose',
    z.object({ text: z.string().min(1).max(2000) }).strict(),
    'Choose which board a command is for',
  ),
  boardSettings: verb('boards.settings', z.object({}).strict(), "Show the board's settings"),
  boardAppoint: verb(
    'boards.appoint',
    z
      .object({
        role: z.enum(BOARD_ROLES_SET),
        appointOfficer: PERSON_KEY.optional(),
        appointChair: PERSON_KEY.optional(),
      })
      .strict(),
    'Appoint an officer or a chair',
  ),
  boardRemove: verb(
    'boards.remove',
    z.object({ role: z.enum(BOARD_ROLES_SET), person: PERSON_KEY }).strict(),
    'Remove an officer or a chair',
  ),
  helpShow: verb('help.show', z.object({}).strict(), 'Show the help card'),
  helpTopic: verb(
    'help.topic',
    z.object({ topic: z.enum(HELP_TOPICS) }).strict(),
    'Explain one of the three jobs',
  ),
  helpRole: verb(
    'help.role',
    z.object({}).strict(),
    'Tell people their role on the board and what it lets them do',
  ),
  actionShow: verb('actions.show', ACTION_BUTTON, 'Show an action'),
  actionStart: verb('actions.start', ACTION_BUTTON, 'Start an action'),
  actionDone: verb('actions.done', ACTION_BUTTON, 'Mark an action done'),
  actionDrop: verb(
    'actions.drop',
    z.object({ ref: ACTION_REF, reason: FORM_TEXT(2000) }).strict(),
    'Drop an action',
  ),
  actionNote: verb(
    'actions.note',
    z.object({ ref: ACTION_REF, note: FORM_TEXT(2000) }).strict(),
    'Add a note to an action',
  ),
  actionDue: verb(
    'actions.due',
    z.object({ ref: ACTION_REF, dueDate: FORM_TEXT(40), dueText: FORM_TEXT(255) }).strict(),
    'Change the due date of an action',
  ),
  actionReassign: verb(
    'actions.reassign',
    z.object({ ref: ACTION_REF, owners: FORM_TEXT(1000) }).strict(),
    'Reassign an action',
  ),
  actionEdit: verb(
    'actions.edit',
    z
      .object({
        ref: ACTION_REF,
        text: FORM_TEXT(10_240),
        owners: FORM_TEXT(1000),
        dueDate: FORM_TEXT(40),
        dueText: FORM_TEXT(255),
        meeting: FORM_TEXT(100),
      })
      .strict(),
    'Edit an action',
  ),
  actionUndo: verb('actions.undo', z.object({ ref: ACTION_REF }).strict(), 'Undo logging an action'),
  actionsMore: verb(
    'actions.more',
    z.object({ q: ACTIONS_QUERY, after: z.string().min(1).max(60).optional() }).strict(),
    'Show more actions',
  ),
  actionsImport: verb('actions.import', IMPORT_DATA, 'Import actions from minutes'),
  actionsImportRead: verb(
    'actions.import.read',
    IMPORT_DATA,
    "Read an import again with the officer's columns and owners",
  ),
  actionsImportCancel: verb(
    'actions.import.cancel',
    z.object({ importKey: IMPORT_KEY }).strict(),
    'Cancel an import of actions',
  ),
  consultOpen: verb('consult.open', CONSULT_NEW_FORM, 'Open a consultation'),
  consultAnswer: verb('consult.answer', CONSULT_BUTTON, 'Answer a consultation'),
  consultSave: verb('consult.save', CONSULT_ANSWERS, 'Save answers to a consultation as a draft'),
  consultSubmit: verb('consult.submit', CONSULT_ANSWERS, 'Submit answers to a consultation'),
  consultRefresh: verb('consult.refresh', CONSULT_REFRESH, 'Show a consultation card as its viewer sees it'),
  consultStatus: verb('consult.status', CONSULT_BUTTON, 'See who has answered a consultation'),
  consultRemind: verb('consult.remind', CONSULT_BUTTON, 'Remind those who have not answered a consultation'),
  consultResend: verb(
    'consult.resend',
    CONSULT_BUTTON,
    'Send again the consultation invitations that failed or may not have arrived',
  ),
  consultRespond: verb('consult.respond', CONSULT_RESPOND, 'Give an initial response to feedback'),
  consultClose: verb('consult.close', CONSULT_BUTTON, 'Close a consultation'),
  consultExport: verb('consult.export', CONSULT_BUTTON, 'Export the feedback of a consultation'),
  consultWeDid: verb('consult.wedid', CONSULT_BUTTON, 'Record what changed after a consultation'),
  consultWeDidSave: verb(
    'consult.wedid.save',
    CONSULT_WE_DID,
    'Tell partners what changed after a consultation',
  ),
  agendaCreate: verb('agenda.create', AGENDA_NEW_FORM, 'Save a draft agenda pack'),
  agendaFormRows: verb('agenda.form.rows', AGENDA_NEW_FORM, 'Add item rows to the agenda pack form'),
  agendaUpdate: verb('agenda.update', AGENDA_EDIT_FORM, 'Change a draft agenda pack'),
  agendaEdit: verb('agenda.edit', MEETING_BUTTON, 'Edit a draft agenda pack'),
  agendaDiscard: verb('agenda.discard', MEETING_BUTTON, 'Discard a draft agenda pack'),
  agendaPublish: verb('agenda.publish', AGENDA_PUBLISH, 'Publish an agenda pack'),
  agendaShow: verb('agenda.show', MEETING_BUTTON, 'Show an agenda pack'),
  agendaItems: verb('agenda.items', AGENDA_ITEMS_PART, "Show part of a long agenda pack's items"),
  agendaAttend: verb('agenda.attend', MEETING_BUTTON, 'Say you are attending a meeting'),
  agendaApologies: verb('agenda.apologies', MEETING_BUTTON, 'Send apologies for a meeting'),
  agendaSubstitute: verb('agenda.substitute', AGENDA_SUBSTITUTE, 'Send a substitute to a meeting'),
  agendaSheet: verb('agenda.sheet', AGENDA_SHEET, 'See the attendance sheet'),
  agendaSupplement: verb('agenda.supplement', AGENDA_SUPPLEMENT, 'Publish a supplementary paper'),
  agendaChanges: verb('agenda.changes', AGENDA_CHANGES, 'See what changed between two versions of a pack'),
  agendaDecisionsForm: verb('agenda.decisions.form', MEETING_BUTTON, 'Record decisions'),
  agendaDecisions: verb('agenda.decisions', AGENDA_DECISIONS, 'Record decisions'),
} as const;

export type VerbKey = keyof typeof VERBS;
export type VerbData<K extends VerbKey> = z.infer<(typeof VERBS)[K]['data']>;

export const VERB_NAMES: readonly string[] = Object.values(VERBS).map((v) => v.name);

export function verbByName(name: string): (typeof VERBS)[VerbKey] | undefined {
  return Object.values(VERBS).find((v) => v.name === name);
}

/** An `Action.Execute` button for a declared verb; the data is checked against the verb's schema. */
export function execute<K extends VerbKey>(
  key: K,
  title: string,
  data: VerbData<K>,
  opts: Pick<ExecuteAction, 'style' | 'tooltip' | 'associatedInputs'> = {},
): ExecuteAction {
  const def = VERBS[key];
  def.data.parse(data);
  return { type: 'Action.Execute', title, verb: def.name, data: data as { [key: string]: Json }, ...opts };
}

import { z } from 'zod';
import type { ExecuteAction, Json } from './adaptive.js';

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

export const VERBS = {
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
  actionsImport: verb(
    'actions.import',
    z.object({ key: IMPORT_KEY, at: z.iso.datetime(), text: z.string().min(1).max(24_000) }).strict(),
    'Import actions from minutes',
  ),
  actionsImportCancel: verb(
    'actions.import.cancel',
    z.object({ key: IMPORT_KEY }).strict(),
    'Cancel an import of actions',
  ),
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

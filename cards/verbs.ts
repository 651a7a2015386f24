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

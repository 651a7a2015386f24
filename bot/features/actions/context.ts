import type { Logger } from '../../logger.js';
import type { RosterMember, Turn } from '../../routing/types.js';
import type { Who } from './service.js';
import type { ActionStore } from './store.js';

/** What every part of the actions feature works with, and what it says when the list is down. */

export interface ActionsDeps {
  store: ActionStore;
  logger: Logger;
  /** The agenda's meetings, for "actions import M-0007" with the minutes (apologies, next meeting). */
  meetings?: MinutesMeetings;
  /** Files attached to "actions import" (a log as .xlsx or CSV). */
  files?: AttachedFiles;
}

/** What importing minutes needs of the agenda feature (wired in by the composition root). */
export interface MinutesMeetings {
  find(ref: string): Promise<{ ref: string; title: string; startsAt: string; status?: string } | undefined>;
  nextAfter(at: Date): Promise<{ ref: string; title: string; startsAt: string } | undefined>;
  recordApologies(
    ref: string,
    apologies: readonly {
      memberId: string;
      name: string;
      substituteName?: string;
      substituteOrganisation?: string;
    }[],
  ): Promise<{ recorded: number; unchanged: number } | { problem: string }>;
}

/** Files attached to the message, downloaded by the edge; workbooks read by `xlsx`. */
export type AttachedFiles = (
  turn: Turn,
  read: { command: string; xlsx: (bytes: Uint8Array, name: string) => Promise<string | { problem: string }> },
) => Promise<{ name: string; text: string }[] | { problem: string }>;

/** Said whenever the list could not be written: never claim an action was saved when it was not. */
export const NOT_SAVED =
  'Your action was NOT saved: the Actions list is not answering just now. Nothing was written. Please send it again in a few minutes.';
export const NOT_CHANGED =
  'Nothing was changed: the Actions list is not answering just now. Please try again in a few minutes.';
export const NOT_READ = 'I could not read the Actions list just now. Please ask again in a few minutes.';
/** Reading an import checks the lists (the meeting, what is already there) before anything is written. */
export const IMPORT_NOT_READ =
  'I could not read the lists just now, so nothing was read or saved. Please try again in a few minutes.';
export const NOT_IMPORTED =
  'The actions were NOT imported: the Actions list is not answering. Press Confirm again in a few minutes; nothing will be saved twice.';

export function whoOf(turn: Turn): Who {
  return {
    name: turn.actor.name,
    role: turn.actor.role,
    ...(turn.actor.aadObjectId ? { aadObjectId: turn.actor.aadObjectId } : {}),
  };
}

/** The roster helps attach ids to names; without it, names are kept as written. */
export async function rosterOf(turn: Turn, logger: Logger): Promise<RosterMember[]> {
  try {
    return await turn.roster();
  } catch (err) {
    logger.warn({ err }, 'could not read the roster; owners keep the names as written');
    return [];
  }
}

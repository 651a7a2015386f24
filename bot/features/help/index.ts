import { helpCard, helpTopicCard, roleCard } from '../../../cards/help.js';
import { commandForm } from '../../routing/text.js';
import { describeRole } from '../../routing/roles.js';
import type { Router } from '../../routing/router.js';
import type { CommandDef } from '../../routing/types.js';

/** `help` and its natural variants, the help card's buttons, and the answer to anything unrecognised. */

const HELP_PHRASES = new Set([
  'help',
  'help me',
  '?',
  'hi',
  'hello',
  'hey',
  'start',
  'menu',
  'commands',
  'what can you do',
  'what do you do',
  'how does this work',
  'how do i use this',
]);

/**
 * The text as the help phrases are written. The command form drops trailing punctuation, which would
 * leave nothing of a bare "?" (or "??"), so that is kept as "?".
 */
export function helpForm(text: string): string {
  return /^\?+$/.test(text.trim()) ? '?' : commandForm(text);
}

export const helpCommand = (boardName: string): CommandDef => ({
  name: 'help',
  match: (text) => (HELP_PHRASES.has(helpForm(text)) ? {} : undefined),
  handle: async (turn) => {
    await turn.reply({ card: helpCard({ boardName }) });
  },
});

export function registerHelp(router: Router, deps: { boardName: string }): void {
  router
    .command(helpCommand(deps.boardName))
    .verb('helpShow', async () => ({ kind: 'card', card: helpCard({ boardName: deps.boardName }) }))
    .verb('helpTopic', async ({ topic }) => ({ kind: 'card', card: helpTopicCard(topic) }))
    .verb('helpRole', async (_data, turn) => ({
      kind: 'card',
      card: roleCard({ boardName: deps.boardName, roleDescription: describeRole(turn.actor.role) }),
    }))
    .onUnknownText(async (turn) => {
      // A bare @mention or an attachment with no text is a request for help, not a mistake.
      const notUnderstood = turn.text.trim() ? { notUnderstood: turn.text } : {};
      await turn.reply({ card: helpCard({ boardName: deps.boardName, ...notUnderstood }) });
    });
}

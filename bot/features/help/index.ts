import { helpCard, helpTopicCard, roleCard } from '../../../cards/help.js';
import { describeRole } from '../../routing/roles.js';
import { intentCommand, type Router } from '../../routing/router.js';
import type { Turn } from '../../routing/types.js';
import { readHelpIntent } from './intents.js';

/**
 * `help` and its natural variants, the help card's buttons, and the answer to anything unrecognised.
 * The smallest feature, and the template for the others: `index.ts` registers routes with their
 * roles, `intents.ts` reads text; a feature with lists adds `service.ts` (decides), `store.ts`
 * (reads and writes lists) and `views.ts` (view models for `cards/`).
 */

export interface HelpDeps {
  boardName: string;
}

export function registerHelp(router: Router, deps: HelpDeps): void {
  const { boardName } = deps;
  // The board the turn works for; the configured name where there is none (a stranger's chat).
  const nameOf = (turn: Turn) => turn.board?.name ?? boardName;
  router
    .command(
      intentCommand('help', readHelpIntent, ['help'], async (turn) => {
        await turn.reply({ card: helpCard({ boardName: nameOf(turn) }) });
      }),
    )
    .verb('helpShow', async (_data, turn) => ({ kind: 'card', card: helpCard({ boardName: nameOf(turn) }) }))
    .verb('helpTopic', async ({ topic }) => ({ kind: 'card', card: helpTopicCard(topic) }))
    .verb('helpRole', async (_data, turn) => ({
      kind: 'card',
      card: roleCard({ boardName: nameOf(turn), roleDescription: describeRole(turn.actor.role) }),
    }))
    .onUnknownText(async (turn) => {
      // A bare @mention or an attachment with no text is a request for help, not a mistake.
      const notUnderstood = turn.text.trim() ? { notUnderstood: turn.text } : {};
      await turn.reply({ card: helpCard({ boardName: nameOf(turn), ...notUnderstood }) });
    });
}

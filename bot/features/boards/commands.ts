import type { Turn } from '../../routing/types.js';
import { settingsCard } from './buttons.js';
import type { BoardsContext } from './context.js';

/** `board settings`: the board's officers and chairs, and why each is one, to change on the card. */
export async function showSettings(ctx: BoardsContext, turn: Turn): Promise<void> {
  await turn.reply({ card: await settingsCard(ctx) });
}

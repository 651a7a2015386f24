import type { AdaptiveCard } from '../cards/adaptive.js';

/**
 * The plain shapes of a Teams conversation and of a message the bot sends, shared by routing (what
 * a turn replies) and messaging (what a proactive send delivers), so neither imports the other.
 */

export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface OutgoingMessage {
  text?: string;
  card?: AdaptiveCard;
}

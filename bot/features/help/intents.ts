import { commandForm } from '../../routing/text.js';

/** "help" and its natural variants, as people type them. */

export type HelpIntent = { kind: 'help' };

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

export function readHelpIntent(text: string): HelpIntent | undefined {
  return HELP_PHRASES.has(helpForm(text)) ? { kind: 'help' } : undefined;
}

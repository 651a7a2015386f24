import type { Role } from './types.js';

/**
 * The words for roles, in refusals and on the help card. Who has which role is a board's business:
 * bot/features/boards/service.ts decides it per board, from the team's roster, its owners and the
 * Boards list (issue 12); nobody is on a board by being in the council's tenant.
 */

const ROLE_WORDS: Record<Role, string> = {
  officer: 'officers',
  chair: 'chairs',
  partner: 'partners',
  stranger: 'people outside the board',
};

export const BOARD_ROLES: readonly Role[] = ['officer', 'chair', 'partner'];
export const EVERYONE: readonly Role[] = ['officer', 'chair', 'partner', 'stranger'];

/** "Only officers and chairs can close a consultation." */
export function refusal(allowed: readonly Role[], what: string): string {
  const words = allowed.map((r) => ROLE_WORDS[r]);
  const list =
    words.length > 1
      ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`
      : (words[0] ?? 'nobody');
  return `Only board ${list} can ${what}. If you think you should be able to, ask one of the board's officers.`;
}

export function describeRole(role: Role): string {
  switch (role) {
    case 'officer':
      return 'an officer: you publish agenda packs and consultations, respond to feedback, and can update any action';
    case 'chair':
      return 'a chair: you can ask about every action, close actions, and see who has responded';
    case 'partner':
      return 'a partner: you can log and update your actions, answer consultations, and send apologies or a substitute';
    case 'stranger':
      return "not a member of this board, so you can read help but not change the board's record";
  }
}

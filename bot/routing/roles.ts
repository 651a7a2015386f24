import type { Role } from './types.js';

/**
 * Who may do what. Officers and chairs are configured by Entra object id or UPN; everyone else in
 * the board's tenant is a partner. Someone from another tenant who is not configured is a stranger
 * unless the conversation is the board's team (guests from the NHS or police are partners there).
 */

export interface RoleConfig {
  officers: string[];
  chairs: string[];
  /** The council's tenant; unset locally, where everyone is in one tenant. */
  tenantId?: string;
}

export interface Identity {
  aadObjectId?: string;
  upn?: string;
  email?: string;
  tenantId?: string;
  /** True when the person is a member of the conversation's team (guests included). */
  teamMember?: boolean;
}

export class RoleResolver {
  private readonly officers: Set<string>;
  private readonly chairs: Set<string>;

  constructor(private readonly config: RoleConfig) {
    this.officers = new Set(config.officers.map((s) => s.toLowerCase()));
    this.chairs = new Set(config.chairs.map((s) => s.toLowerCase()));
  }

  resolve(who: Identity): Role {
    const keys = [who.aadObjectId, who.upn, who.email]
      .filter((k): k is string => Boolean(k))
      .map((k) => k.toLowerCase());
    if (keys.some((k) => this.officers.has(k))) return 'officer';
    if (keys.some((k) => this.chairs.has(k))) return 'chair';
    const outsider = this.config.tenantId && who.tenantId && who.tenantId !== this.config.tenantId;
    if (outsider && !who.teamMember) return 'stranger';
    return 'partner';
  }
}

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

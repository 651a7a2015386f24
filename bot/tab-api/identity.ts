import { isPersonKey, PEOPLE } from './dev-people.js';
import { TabTokenError, type TabTokenValidator } from '../auth/tab-token.js';
import type { Who } from '../features/actions/service.js';
import { BOARD_ROLES, refusal, type RoleResolver } from '../routing/roles.js';
import type { TabRole } from './contract.js';

/**
 * Who is calling the tab's API: the Entra SSO token Teams gave the tab, or, outside Teams on a
 * developer's machine, a person from the dev fixture named by `?as=`. Either way the role comes
 * from the RoleResolver, as in chat, and people outside the board are refused.
 */

export interface TabCaller {
  who: Who & { role: TabRole };
  upn?: string | undefined;
  via: 'sso' | 'dev';
}

export type CallerResult = { ok: true; caller: TabCaller } | { ok: false; status: 401 | 403; error: string };

export interface IdentityDeps {
  roles: RoleResolver;
  /** Present when Entra SSO is configured. */
  validator?: TabTokenValidator | undefined;
  devIdentity: boolean;
  production: boolean;
  onRefused?: (reason: string) => void;
}

/** The header the standalone tab sends its `?as=` person in. */
export const DEV_AS_HEADER = 'x-tab-dev-as';

export interface CallerHeaders {
  authorization?: string | undefined;
  devAs?: string | undefined;
}

const SIGN_IN = 'Open the Board tab in Teams to sign in.';

function withRole(
  person: { aadObjectId: string; name: string; upn?: string | undefined; tenantId?: string | undefined },
  roles: RoleResolver,
  via: TabCaller['via'],
): CallerResult {
  const role = roles.resolve({
    aadObjectId: person.aadObjectId,
    ...(person.upn ? { upn: person.upn, email: person.upn } : {}),
    ...(person.tenantId ? { tenantId: person.tenantId } : {}),
  });
  if (role === 'stranger')
    return { ok: false, status: 403, error: refusal(BOARD_ROLES, 'use the board tab') };
  return {
    ok: true,
    caller: {
      who: { name: person.name, aadObjectId: person.aadObjectId, role },
      upn: person.upn,
      via,
    },
  };
}

export async function identify(headers: CallerHeaders, deps: IdentityDeps): Promise<CallerResult> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) {
    if (!deps.validator) {
      deps.onRefused?.('a token arrived but Entra SSO is not configured');
      return {
        ok: false,
        status: 401,
        error: `Sign-in for the tab is not set up on this server. ${SIGN_IN}`,
      };
    }
    try {
      const user = await deps.validator.validate(bearer);
      return withRole(user, deps.roles, 'sso');
    } catch (err) {
      deps.onRefused?.(err instanceof TabTokenError ? err.reason : String(err));
      return { ok: false, status: 401, error: `Your sign-in could not be checked. ${SIGN_IN}` };
    }
  }
  const as = headers.devAs?.trim().toLowerCase();
  if (as) {
    // Refused in production whatever the configuration says: anyone could claim to be the chair.
    if (deps.production || !deps.devIdentity) {
      deps.onRefused?.(`development identity "${as}" refused`);
      return { ok: false, status: 401, error: `Development identities are not accepted here. ${SIGN_IN}` };
    }
    if (!isPersonKey(as))
      return {
        ok: false,
        status: 401,
        error: `"${as}" is not one of the development people (${Object.keys(PEOPLE).join(', ')}).`,
      };
    return withRole(PEOPLE[as], deps.roles, 'dev');
  }
  return { ok: false, status: 401, error: `You are not signed in. ${SIGN_IN}` };
}

import type { Config } from '../config.js';

/**
 * The tab's consent window. Teams' single sign-on (`getAuthToken`) cannot show Microsoft Entra ID's
 * consent prompt inside the tab's frame; where it fails for want of consent or another sign-in step,
 * the tab opens `/tab/auth-start` with `authentication.authenticate()`, which sends the person to
 * Entra ID's authorize endpoint asking for the tab's scope, and Entra ID sends them back to
 * `/tab/auth-end`, where the tab tells Teams it is done and asks for its token again
 * (learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-code, "Handle
 * consent"; learn.microsoft.com/javascript/api/@microsoft/teams-js/authentication, `authenticate`:
 * "when your app needs to show authentication UI that is blocked from being shown in an iframe (e.g.,
 * Microsoft Entra consent prompts)"). Only consent is wanted: the code Entra ID returns is not used.
 */

type Sso = NonNullable<Config['tab']['sso']>;

/** The scope the tab's token carries: `access_as_user` on the Application ID URI. */
export function tabScope(sso: Sso, host: string): string {
  const uri = sso.audiences.find((a) => a.startsWith('api://')) ?? `api://${host}/${sso.clientId}`;
  return `${uri.replace(/\/+$/, '')}/access_as_user`;
}

/** Entra ID's authorize address that asks this person's consent and comes back to /tab/auth-end. */
export function consentUrl(sso: Sso, origin: string, loginHint?: string | undefined): string {
  const authority = (sso.authority ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  const url = new URL(`${authority}/${encodeURIComponent(sso.tenantId)}/oauth2/v2.0/authorize`);
  url.searchParams.set('client_id', sso.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('response_mode', 'query');
  url.searchParams.set('redirect_uri', `${origin}/tab/auth-end`);
  url.searchParams.set('scope', `${tabScope(sso, new URL(origin).host)} openid profile`);
  url.searchParams.set('prompt', 'consent');
  if (loginHint) url.searchParams.set('login_hint', loginHint);
  return url.toString();
}

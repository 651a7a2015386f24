import { describe, expect, it } from 'vitest';
import { consentUrl, tabScope } from '../../bot/tab-api/consent.js';
import { buildPackage, settingsFromEnv } from '../../manifest/build.js';
import { packageProblems } from '../../manifest/validate.js';
import { classifySignInError, consentFailedMessage } from '../../tab/src/sign-in.js';

/** Tab sign-in that recovers (issue 13, item 7): which failures lead to consent, and where consent is asked. */

describe('a failed getAuthToken', () => {
  it.each([
    'consent_required',
    'interaction_required',
    'invalid_grant',
    'login_required',
    'resourceRequiresConsent',
    'resourceRequiresMfa',
    'AADSTS65001: The user or administrator has not consented to use the application',
    'AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication',
  ])('"%s" leads to the consent window', (reason) => {
    expect(classifySignInError(reason)).toEqual({ kind: 'consent' });
    expect(classifySignInError(new Error(reason))).toEqual({ kind: 'consent' });
    expect(classifySignInError({ errorCode: 500, message: reason })).toEqual({ kind: 'consent' });
  });

  it.each([
    ['App resource defined in manifest and iframe origin do not match', /App resource defined in manifest/],
    ['Failed to fetch', /Failed to fetch/],
    ['', /no reason given/],
  ])('"%s" is said plainly, not as "could not be reached"', (reason, said) => {
    const outcome = classifySignInError(new Error(reason));
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.message).toMatch(/^Teams could not sign you in to the board/);
    expect(outcome.message).toMatch(said);
    expect(outcome.message).not.toMatch(/could not be reached/);
  });

  it('a cancelled sign-in says so', () => {
    expect(classifySignInError('CancelledByUser')).toMatchObject({ kind: 'failed', message: /cancelled/ });
  });

  it('a consent window closed or refused says what to do next', () => {
    expect(consentFailedMessage('CancelledByUser')).toMatch(/closed before you agreed/);
    expect(consentFailedMessage(new Error('access_denied: AADSTS90094 admin approval required'))).toMatch(
      /ask your IT administrator to grant consent/,
    );
  });
});

describe('the consent request', () => {
  const sso = {
    tenantId: 'tenant-council',
    clientId: '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b',
    audiences: [
      'api://board.example.org/3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b',
      '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b',
    ],
  };

  it("asks Entra ID for the tab's scope with a consent prompt, back to /tab/auth-end", () => {
    const url = new URL(consentUrl(sso, 'https://board.example.org', 'sonia@hackney.gov.uk'));
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://login.microsoftonline.com/tenant-council/oauth2/v2.0/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: sso.clientId,
      redirect_uri: 'https://board.example.org/tab/auth-end',
      scope: `api://board.example.org/${sso.clientId}/access_as_user openid profile`,
      prompt: 'consent',
      login_hint: 'sonia@hackney.gov.uk',
    });
  });

  it('uses another cloud’s authority, and the host when no Application ID URI is configured', () => {
    const other = { ...sso, audiences: [sso.clientId], authority: 'https://login.microsoftonline.us/' };
    expect(consentUrl(other, 'https://x.example')).toMatch(
      /^https:\/\/login\.microsoftonline\.us\/tenant-council\/oauth2\/v2\.0\/authorize\?/,
    );
    expect(tabScope(other, 'x.example')).toBe(`api://x.example/${sso.clientId}/access_as_user`);
  });
});

describe('the personal tab in the app package', () => {
  it('is a personal tab, as Outlook and the Microsoft 365 app host them, and the package is valid', () => {
    const { settings } = settingsFromEnv(
      { MicrosoftAppId: '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b', BOT_DOMAIN: 'board.example.org' },
      '1.0.0',
    );
    const pkg = buildPackage(settings);
    const tabs = (
      pkg.manifest as { staticTabs: { entityId: string; context?: string[]; scopes: string[] }[] }
    ).staticTabs;
    expect(tabs.find((t) => t.entityId === 'my-actions')).toMatchObject({
      scopes: ['personal'],
      context: ['personalTab'],
    });
    expect(packageProblems(pkg)).toEqual([]);
  });
});

/**
 * What a failed `authentication.getAuthToken()` means for the person. Teams reports why as a string
 * (or an Error carrying it): Microsoft Entra ID's OAuth error codes (`consent_required`,
 * `interaction_required`, `invalid_grant`, `login_required`), Teams' own (`resourceRequiresConsent`,
 * `resourceRequiresMfa`), or an AADSTS code. Those that ask for the person's consent or another
 * sign-in step are answered with the consent window (`authentication.authenticate()`, which can show
 * what the tab's frame cannot); anything else is said plainly.
 * (learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-code, "Handle
 * consent"; learn.microsoft.com/entra/identity-platform/reference-error-codes.)
 */

const NEEDS_THE_PERSON = [
  'consent_required',
  'interaction_required',
  'invalid_grant',
  'login_required',
  'resourcerequiresconsent',
  'resourcerequiresmfa',
  // The user or admin has not consented to use the application.
  'aadsts65001',
  // Multi-factor authentication required.
  'aadsts50076',
  'aadsts50079',
  // External security challenge not satisfied.
  'aadsts50158',
];

export type SignInOutcome = { kind: 'consent' } | { kind: 'failed'; message: string };

function reason(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Consent (or another step only the person can take), or a failure in words. */
export function classifySignInError(error: unknown): SignInOutcome {
  const why = reason(error).trim();
  const lower = why.toLowerCase();
  if (NEEDS_THE_PERSON.some((code) => lower.includes(code))) return { kind: 'consent' };
  if (/cancel/i.test(why))
    return { kind: 'failed', message: 'Signing in to the board was cancelled. Reload the tab to try again.' };
  return {
    kind: 'failed',
    message:
      `Teams could not sign you in to the board (${why || 'no reason given'}). Reload the tab to try ` +
      'again; if it keeps happening, tell your board officer.',
  };
}

/** What the consent window's failure means (it was closed, blocked, or Entra ID refused). */
export function consentFailedMessage(error: unknown): string {
  const why = reason(error).trim();
  if (/CancelledByUser|cancel/i.test(why))
    return 'The sign-in window was closed before you agreed, so the board cannot show your actions. Select Sign in to try again.';
  return (
    `Signing in did not finish (${why || 'no reason given'}). Select Sign in to try again; if your ` +
    'organisation does not allow you to consent yourself, ask your IT administrator to grant consent for Partnership Board.'
  );
}

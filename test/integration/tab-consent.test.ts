import { describe, expect, it } from 'vitest';
import { useTestBot } from '../support/use-test-bot.js';

/** The consent window's pages, served by the bot under /tab (issue 13, item 7). */

const APP = '3f2b8c1e-5d4a-4e7b-9a6c-1b2d3e4f5a6b';

describe('with Entra SSO configured', () => {
  const t = useTestBot({
    env: {
      MicrosoftAppId: APP,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: 'tenant-council',
      PUBLIC_BASE_URL: 'https://board.example.org',
    },
  });

  it('/tab/auth-start sends the window to Entra ID for consent, back to /tab/auth-end', async () => {
    const res = await fetch(`${t.bot.url}/tab/auth-start?loginHint=sonia%40hackney.gov.uk`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(
      'https://login.microsoftonline.com/tenant-council/oauth2/v2.0/authorize',
    );
    expect(to.searchParams.get('client_id')).toBe(APP);
    expect(to.searchParams.get('redirect_uri')).toBe('https://board.example.org/tab/auth-end');
    expect(to.searchParams.get('scope')).toBe(`api://board.example.org/${APP}/access_as_user openid profile`);
    expect(to.searchParams.get('prompt')).toBe('consent');
    expect(to.searchParams.get('login_hint')).toBe('sonia@hackney.gov.uk');
  });

  it('/tab/auth-end is a tab page whose script tells Teams the window is done', async () => {
    const res = await fetch(`${t.bot.url}/tab/auth-end?code=ignored&state=x`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html).toContain('data-page="auth-end"');
    expect(html).toContain('<script defer src="/tab/assets/tab.js"></script>');
  });
});

describe('without SSO (the Playground)', () => {
  const t = useTestBot();

  it('/tab/auth-start says sign-in is not configured', async () => {
    const res = await fetch(`${t.bot.url}/tab/auth-start`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Sign-in is not configured on this bot.');
  });
});

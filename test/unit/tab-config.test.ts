import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config.js';

/** The tab's sign-in settings, and the development identity that production refuses. */

/** What production needs besides the tab's settings. */
const PRODUCTION = {
  NODE_ENV: 'production',
  CONSULTATION_SECRET: 'a-production-secret-of-32-characters-or-more',
};
const APP = { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant' };

describe('tab configuration', () => {
  it('offers the development identity only on a machine with nothing authenticated', () => {
    expect(loadConfig({}).tab).toEqual({ devIdentity: true });
    expect(loadConfig({ ...APP, MicrosoftAppTenantId: 'tenant' }).tab.devIdentity).toBe(false);
    expect(loadConfig(PRODUCTION).tab.devIdentity).toBe(false);
    expect(loadConfig({ TAB_DEV_IDENTITY: 'false' }).tab.devIdentity).toBe(false);
  });

  it('refuses to start in production with the development identity switched on', () => {
    expect(() => loadConfig({ ...PRODUCTION, TAB_DEV_IDENTITY: 'true' })).toThrow(ConfigError);
    try {
      loadConfig({ ...PRODUCTION, TAB_DEV_IDENTITY: 'true' });
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        expect.stringContaining('TAB_DEV_IDENTITY: must not be on'),
      ]);
    }
  });

  it("signs the tab in with the bot's app registration, for App Service's host name", () => {
    const c = loadConfig({
      ...APP,
      MicrosoftAppTenantId: 'tenant',
      WEBSITE_HOSTNAME: 'board.azurewebsites.net',
    });
    expect(c.tab.sso).toEqual({
      tenantId: 'tenant',
      clientId: 'app-id',
      audiences: ['api://board.azurewebsites.net/app-id', 'app-id'],
    });
  });

  it('follows a custom domain given as PUBLIC_BASE_URL', () => {
    const c = loadConfig({
      ...APP,
      MicrosoftAppTenantId: 'tenant',
      PUBLIC_BASE_URL: 'https://board.hackney.example.org/',
      WEBSITE_HOSTNAME: 'board.azurewebsites.net',
    });
    expect(c.tab.sso?.audiences).toEqual([
      'api://board.hackney.example.org/app-id',
      'api://board.azurewebsites.net/app-id',
      'app-id',
    ]);
  });

  it('takes its own client, tenant, audience and authority when given', () => {
    const c = loadConfig({
      TAB_SSO_CLIENT_ID: 'tab-app',
      TAB_SSO_TENANT_ID: 'tenant',
      TAB_SSO_AUDIENCE: 'api://board.example.org/tab-app, tab-app',
      TAB_SSO_AUTHORITY: 'https://login.microsoftonline.us',
    });
    expect(c.tab.sso).toEqual({
      tenantId: 'tenant',
      clientId: 'tab-app',
      audiences: ['api://board.example.org/tab-app', 'tab-app'],
      authority: 'https://login.microsoftonline.us',
    });
  });

  it('has no SSO without a tenant to trust (a multi-tenant bot)', () => {
    expect(
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 's', MicrosoftAppType: 'MultiTenant' }).tab,
    ).toEqual({
      devIdentity: false,
    });
  });
});

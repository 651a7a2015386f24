import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, siteIdFromUrl } from '../../bot/config.js';

describe('loadConfig', () => {
  it('runs locally with nothing set: local lists, auth off, default ports', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3978);
    expect(c.localListsPort).toBe(3979);
    expect(c.graph).toEqual({
      baseUrl: 'http://127.0.0.1:3979/v1.0',
      siteId: 'root',
      credential: { kind: 'none' },
      local: true,
    });
    expect(c.botAuth.enabled).toBe(false);
    expect(c.dataDir).toBe('.data');
  });

  it('turns authentication on whenever an app id is set', () => {
    const c = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: 't',
    });
    expect(c.botAuth).toMatchObject({ enabled: true, appId: 'app', appType: 'SingleTenant' });
  });

  it('takes a bot to be single-tenant unless told otherwise (Azure creates no new multi-tenant bots)', () => {
    expect(problems({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p' })[0]).toMatch(
      /^MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant/,
    );
    const legacy = loadConfig({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'p',
      MicrosoftAppType: 'MultiTenant',
    });
    expect(legacy.botAuth.appType).toBe('MultiTenant');
  });

  it('parses role lists case-insensitively', () => {
    const c = loadConfig({ BOARD_OFFICERS: ' A1 , sonia@example.org,', BOARD_CHAIRS: 'c1' });
    expect(c.roles).toEqual({ officers: ['a1', 'sonia@example.org'], chairs: ['c1'] });
  });

  it('derives the Graph site address from a site URL', () => {
    expect(siteIdFromUrl('https://contoso.sharepoint.com/sites/board/')).toBe(
      'contoso.sharepoint.com:/sites/board:',
    );
    const c = loadConfig({
      SHAREPOINT_SITE_URL: 'https://contoso.sharepoint.com/sites/board',
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_CLIENT_SECRET: 's',
    });
    expect(c.graph).toMatchObject({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      siteId: 'contoso.sharepoint.com:/sites/board:',
      local: false,
    });
    expect(c.graph.credential.kind).toBe('clientSecret');
  });

  it('accepts a managed identity for Graph', () => {
    const c = loadConfig({
      SHAREPOINT_SITE_ID: 'site',
      GRAPH_USE_MANAGED_IDENTITY: 'true',
      AZURE_CLIENT_ID: 'mi',
    });
    expect(c.graph.credential).toEqual({ kind: 'managedIdentity', clientId: 'mi' });
  });

  function problems(env: Record<string, string>): string[] {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  }

  it('fails fast naming every malformed or missing variable', () => {
    expect(problems({ PORT: 'eighty' })[0]).toMatch(/^PORT:/);
    expect(problems({ GRAPH_BASE_URL: 'not a url' })[0]).toMatch(/^GRAPH_BASE_URL:/);
    expect(problems({ MicrosoftAppType: 'Sometimes' })[0]).toMatch(/^MicrosoftAppType:/);
    expect(problems({ MicrosoftAppId: 'app' })[0]).toMatch(/^MicrosoftAppPassword:/);
    expect(
      problems({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' })[0],
    ).toMatch(/^MicrosoftAppTenantId:/);
    expect(problems({ SHAREPOINT_SITE_ID: 'site' }).join('\n')).toMatch(
      /AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET/,
    );
    expect(problems({ AZURE_TENANT_ID: 't', SHAREPOINT_SITE_ID: 's' })[0]).toMatch(
      /AZURE_CLIENT_ID, AZURE_CLIENT_SECRET: required/,
    );
    expect(
      problems({ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0', GRAPH_USE_MANAGED_IDENTITY: 'true' })[0],
    ).toMatch(/SHAREPOINT_SITE_ID or SHAREPOINT_SITE_URL/);
  });

  it('refuses a Key Vault reference App Service could not resolve', () => {
    const text = problems({
      MicrosoftAppPassword: '@Microsoft.KeyVault(SecretUri=https://vault/secrets/bot)',
    }).join();
    expect(text).toMatch(/^MicrosoftAppPassword: the Key Vault reference was not resolved/);
  });

  it('keeps secrets out of the error text', () => {
    const text = problems({
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'hunter2',
      MicrosoftAppType: 'SingleTenant',
    }).join();
    expect(text).not.toContain('hunter2');
  });
});

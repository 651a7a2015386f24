import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.js';

/**
 * The Bicep against the configuration the bot reads (no bicep CLI here, so the template is read as
 * text): the app settings of each identity mode make a production configuration that
 * `loadConfig` accepts; every variable of bot/config.ts is either set there or deliberately left
 * to its default; secrets are Key Vault references and never parameter defaults; every parameter
 * is documented.
 */

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const BICEP = read('infra/azure/main.bicep');
const CONFIG_SOURCE = read('bot/config.ts');
const EXAMPLE = JSON.parse(read('infra/azure/main.parameters.example.json')) as {
  parameters: Record<string, { value: unknown }>;
};
const DOCS = read('infra/azure/README.md') + read('infra/README.md');

interface Param {
  name: string;
  type: string;
  secure: boolean;
  defaultValue?: string;
  described: boolean;
}

function params(source: string): Param[] {
  const found: Param[] = [];
  let decorators: string[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('@')) decorators.push(line);
    else if (line.startsWith('param ')) {
      const m = /^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?$/.exec(line);
      if (!m) throw new Error(`cannot read: ${line}`);
      found.push({
        name: m[1]!,
        type: m[2]!,
        secure: decorators.some((d) => d.startsWith('@secure()')),
        ...(m[3] !== undefined ? { defaultValue: m[3].trim() } : {}),
        described: decorators.some((d) => d.startsWith('@description(')),
      });
      decorators = [];
    } else if (line && !line.startsWith('//') && !/^['\]]/.test(line)) decorators = [];
  }
  return found;
}

/** A flat `var NAME = { KEY: value … }` block, as written. */
function objectVar(source: string, name: string): Record<string, string> {
  const m = new RegExp(`^var ${name} = \\{\\n([\\s\\S]*?)\\n\\}`, 'm').exec(source);
  if (!m) throw new Error(`no object var ${name} in main.bicep`);
  return Object.fromEntries(
    m[1]!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('//'))
      .map((l) => {
        const kv = /^(\w+):\s*(.+)$/.exec(l);
        if (!kv) throw new Error(`cannot read the setting line: ${l}`);
        return [kv[1]!, kv[2]!];
      }),
  );
}

function stringVar(source: string, name: string): string | undefined {
  return new RegExp(`^var ${name} = (.+)$`, 'm').exec(source)?.[1];
}

const PARAMS = params(BICEP);
const SAMPLE_GUID = '11111111-2222-4333-8444-555555555555';
/** What Azure gives resources at deployment, as the app would see it. */
const RUNTIME: [RegExp, string][] = [
  [/\.properties\.clientId$/, SAMPLE_GUID],
  [/\.properties\.ConnectionString$/, 'InstrumentationKey=00000000-0000-0000-0000-000000000000'],
  [/^subscription\(\)\.tenantId$/, '6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d'],
  [/^resourceGroup\(\)\.location$/, 'uksouth'],
];
/** App Service resolves a Key Vault reference to the secret's value. */
const RESOLVED_SECRET = 'a-secret-value-from-key-vault-0123456789';

function paramValue(name: string, overrides: Record<string, string>): string {
  if (name in overrides) return overrides[name]!;
  const p = PARAMS.find((q) => q.name === name)!;
  if (p.secure)
    throw new Error(`secure parameter ${name} is used in a setting directly, not through Key Vault`);
  const example = EXAMPLE.parameters[name]?.value;
  if (example !== undefined) return String(example);
  if (p.defaultValue !== undefined) return evaluate(p.defaultValue, overrides);
  throw new Error(`parameter ${name} has no value in main.parameters.example.json and no default`);
}

/** The value of a Bicep expression as the app would see it; fails on forms it does not know. */
function evaluate(expr: string, overrides: Record<string, string>): string {
  const e = expr.trim();
  const literal = /^'((?:[^'\\]|\\.)*)'$/.exec(e);
  if (literal) {
    const value = literal[1]!.replace(/\\'/g, "'");
    if (value.startsWith('@Microsoft.KeyVault(')) return RESOLVED_SECRET;
    return value.replace(/\$\{([^}]+)\}/g, (_t, inner: string) => evaluate(inner, overrides));
  }
  for (const [pattern, value] of RUNTIME) if (pattern.test(e)) return value;
  if (PARAMS.some((p) => p.name === e)) return paramValue(e, overrides);
  const v = stringVar(BICEP, e);
  if (v) return evaluate(v, overrides);
  throw new Error(`the test cannot evaluate the Bicep expression ${e}; teach it`);
}

function isKeyVaultReference(expr: string): boolean {
  const e = expr.trim();
  const v = /^\w+$/.test(e) ? (stringVar(BICEP, e) ?? e) : e;
  return v.startsWith("'@Microsoft.KeyVault(");
}

const MODES = {
  SingleTenant: ['appSettingsCommon', 'appSettingsSingleTenant'],
  UserAssignedMSI: ['appSettingsCommon', 'appSettingsManagedIdentity'],
} as const;

/** Settings added only when their parameter is given. */
const OPTIONAL_SETS = { scheduler: 'appSettingsScheduler', tabSso: 'appSettingsTabSso' } as const;
type Optional = keyof typeof OPTIONAL_SETS;
const TAB_APP_ID = '99999999-8888-4777-8666-555555555555';

function settingsOf(mode: keyof typeof MODES, optional: Optional[] = []): Record<string, string> {
  const names: string[] = [...MODES[mode], ...optional.map((o) => OPTIONAL_SETS[o])];
  return Object.assign({}, ...names.map((n) => objectVar(BICEP, n))) as Record<string, string>;
}

function envOf(mode: keyof typeof MODES, optional: Optional[] = []): Record<string, string> {
  const overrides = { botIdentity: mode, tabSsoClientId: TAB_APP_ID };
  return Object.fromEntries(
    Object.entries(settingsOf(mode, optional)).map(([k, v]) => [k, evaluate(v, overrides)]),
  );
}

/** The variables bot/config.ts validates, read from its schema. */
function configVariables(): string[] {
  const body = /const EnvSchema = z\.object\(\{\n([\s\S]*?)\n\}\);/.exec(CONFIG_SOURCE)?.[1];
  if (!body) throw new Error('EnvSchema not found in bot/config.ts');
  return [...body.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]!);
}

/** Variables the Bicep leaves to their defaults on purpose, and why. */
const LEFT_TO_DEFAULTS: Record<string, string> = {
  PORT: 'App Service sets it for the Node container',
  HOST: 'the default, 0.0.0.0, is right inside the container',
  GRAPH_BASE_URL: 'defaults to https://graph.microsoft.com/v1.0 once a site is set',
  SHAREPOINT_SITE_ID: 'SHAREPOINT_SITE_URL is set instead',
  LOCAL_LISTS_PORT: 'the local lists service is for development only',
  DATA_DIR: 'the local lists service is for development only',
  SCHEDULER_ENABLED: 'on by default when NODE_ENV=production',
  SCHEDULER_SECRET: 'optional: set by the schedulerSecret parameter when an external timer is used',
  REMINDERS_AT: 'default 08:30 London',
  DIGEST_AT: 'default 09:00 London',
  PUBLIC_BASE_URL: 'App Service sets WEBSITE_HOSTNAME, which the bot uses; set it only for a custom domain',
  WEBSITE_HOSTNAME: 'App Service sets it',
  TAB_SSO_CLIENT_ID: "optional: set by the tabSsoClientId parameter; else the bot's app registration",
  TAB_SSO_TENANT_ID: 'defaults to MicrosoftAppTenantId',
  TAB_SSO_AUDIENCE: 'defaults to api://<WEBSITE_HOSTNAME>/<client id>, as the manifest says',
  TAB_SSO_AUTHORITY: 'defaults to the public cloud',
  TAB_DEV_IDENTITY: 'must stay off in production',
};
const NOT_IN_MODE: Record<keyof typeof MODES, Record<string, string>> = {
  SingleTenant: { GRAPH_USE_MANAGED_IDENTITY: 'Graph uses the app registration and its secret' },
  UserAssignedMSI: {
    MicrosoftAppPassword: 'a managed identity has no password',
    AZURE_TENANT_ID: 'only with a client secret',
    AZURE_CLIENT_SECRET: 'a managed identity has no secret',
  },
};

describe('the Bicep app settings', () => {
  it('are read from the template as the app sees them', () => {
    expect(BICEP).toMatch(
      /properties: union\(appSettingsCommon, usesManagedIdentity \? appSettingsManagedIdentity : appSettingsSingleTenant, empty\(tabSsoClientId\) \? \{\} : appSettingsTabSso, empty\(schedulerSecret\) \? \{\} : appSettingsScheduler\)/,
    );
  });

  it.each(Object.keys(MODES) as (keyof typeof MODES)[])(
    'make a production configuration the bot accepts (%s)',
    (mode) => {
      const config = loadConfig(envOf(mode, mode === 'UserAssignedMSI' ? ['tabSso'] : []));
      expect(config.production).toBe(true);
      expect(config.botAuth).toEqual(
        expect.objectContaining({ enabled: true, appType: mode, tenantId: expect.any(String) }),
      );
      expect(config.graph.local).toBe(false);
      expect(config.graph.baseUrl).toBe('https://graph.microsoft.com/v1.0');
      expect(config.graph.siteId).toBe('contoso.sharepoint.com:/sites/partnership-board:');
      expect(config.graph.credential.kind).toBe(mode === 'SingleTenant' ? 'clientSecret' : 'managedIdentity');
      expect(config.roles.officers.length + config.roles.chairs.length).toBeGreaterThan(0);
      expect(config.scheduler.enabled).toBe(true);
      expect(config.consultations.secret).toBe(RESOLVED_SECRET);
      // The tab signs in with an app registration: the bot's, or the one named for a managed identity.
      expect(config.tab.sso?.clientId).toBe(mode === 'SingleTenant' ? config.botAuth.appId : TAB_APP_ID);
      expect(config.tab.devIdentity).toBe(false);
    },
  );

  it('switch the scheduler route on only with a secret from Key Vault', () => {
    expect(loadConfig(envOf('SingleTenant')).scheduler.secret).toBeUndefined();
    expect(loadConfig(envOf('SingleTenant', ['scheduler'])).scheduler.secret).toBe(RESOLVED_SECRET);
  });

  it.each(Object.keys(MODES) as (keyof typeof MODES)[])(
    'set every variable of bot/config.ts, or leave it to its default on purpose (%s)',
    (mode) => {
      const set = new Set(Object.keys(settingsOf(mode, ['scheduler', 'tabSso'])));
      const unaccounted = configVariables().filter(
        (v) => !set.has(v) && !(v in LEFT_TO_DEFAULTS) && !(v in NOT_IN_MODE[mode]),
      );
      // A new variable in bot/config.ts: set it in infra/azure/main.bicep or list it above, saying why.
      expect(unaccounted).toEqual([]);
      expect(set.has('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(true);
    },
  );

  it('carry secrets only as Key Vault references', () => {
    for (const mode of Object.keys(MODES) as (keyof typeof MODES)[]) {
      for (const [key, expr] of Object.entries(settingsOf(mode, ['scheduler', 'tabSso']))) {
        if (/PASSWORD|SECRET/i.test(key)) expect(isKeyVaultReference(expr), `${mode} ${key}`).toBe(true);
      }
    }
  });
});

describe('the Bicep parameters', () => {
  it('have no secret as a default, and every secret-like one is @secure', () => {
    for (const p of PARAMS) {
      if (p.secure) expect(p.defaultValue === undefined || p.defaultValue === "''", p.name).toBe(true);
      if (/password|secret|connectionstring|key$/i.test(p.name))
        expect(p.secure, `${p.name} must be @secure()`).toBe(true);
    }
    expect(PARAMS.filter((p) => p.secure).map((p) => p.name)).toEqual([
      'botAppPassword',
      'consultationSecret',
      'schedulerSecret',
    ]);
  });

  it('keep secrets out of the example parameters file', () => {
    for (const p of PARAMS.filter((q) => q.secure)) expect(EXAMPLE.parameters).not.toHaveProperty(p.name);
    for (const name of Object.keys(EXAMPLE.parameters)) expect(PARAMS.map((p) => p.name)).toContain(name);
  });

  it('are each described in the template and documented in the READMEs', () => {
    for (const p of PARAMS) {
      expect(p.described, `${p.name} needs @description`).toBe(true);
      expect(DOCS, `${p.name} is not documented`).toContain(`\`${p.name}\``);
    }
  });
});

describe('the Bicep resources', () => {
  it('are the Azure Bot with Teams, App Service on Linux with Node 22 LTS, Application Insights and Key Vault', () => {
    for (const type of [
      'Microsoft.BotService/botServices@',
      'Microsoft.BotService/botServices/channels@',
      'Microsoft.Web/serverfarms@',
      'Microsoft.Web/sites@',
      'Microsoft.Insights/components@',
      'Microsoft.OperationalInsights/workspaces@',
      'Microsoft.KeyVault/vaults@',
      'Microsoft.ManagedIdentity/userAssignedIdentities@',
    ])
      expect(BICEP).toContain(`'${type}`);
    expect(BICEP).toContain("linuxFxVersion: 'NODE|22-lts'");
    expect(BICEP).toContain("name: 'MsTeamsChannel'");
    expect(BICEP).toContain('enableRbacAuthorization: true');
    expect(BICEP).toContain('keyVaultReferenceIdentity: identity.id');
    expect(BICEP).toContain('httpsOnly: true');
    expect(BICEP).toContain("healthCheckPath: '/healthz'");
    expect(BICEP).toContain("endpoint: 'https://${site.properties.defaultHostName}/api/messages'");
  });
});

import { describe, expect, it } from 'vitest';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { silentLogger } from '../../bot/logger.js';
import { createGraphClient } from '../../bot/sharepoint/graph-client.js';
import { envWithSite } from '../../infra/cli.js';
import { parseArgs } from '../../infra/provision/cli.js';
import { provision, ProvisionError } from '../../infra/provision/provision.js';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function clientAnswering(answer: (url: URL) => Response) {
  const transport: Middleware = {
    async execute(context: Context) {
      context.response = answer(new URL(String(context.request)));
    },
  };
  return createGraphClient({
    baseUrl: 'http://127.0.0.1:1/v1.0',
    credential: { kind: 'none' },
    transport,
    retry: { sleep: async () => undefined },
  });
}

async function failure(answer: (url: URL) => Response, site = 'contoso.sharepoint.com:/sites/board:') {
  return provision(clientAnswering(answer), site, silentLogger).then(
    () => {
      throw new Error('expected provisioning to fail');
    },
    (e: unknown) => e as ProvisionError,
  );
}

describe('provision failures explain themselves', () => {
  it('403 names the Graph permission needed', async () => {
    const error = await failure(() =>
      json(403, { error: { code: 'accessDenied', message: 'Access denied' } }),
    );
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error.reason).toBe('forbidden');
    expect(error.message).toMatch(/Sites\.Manage\.All/);
    expect(error.message).toMatch(/Sites\.Selected with the "manage"/);
  });

  it('403 while creating a list (read-only grant) also names it', async () => {
    const error = await failure((url) => {
      if (url.pathname.endsWith('/lists') && url.search.includes('select')) return json(200, { value: [] });
      if (url.pathname.endsWith(':/sites/board:')) return json(200, { id: 'site-1' });
      return json(403, { error: { code: 'accessDenied', message: 'Access denied' } });
    });
    expect(error.reason).toBe('forbidden');
    expect(error.message).toMatch(/^creating list Boards: access denied \(403\)/);
  });

  it('401 points at the credentials', async () => {
    const error = await failure(() =>
      json(401, { error: { code: 'InvalidAuthenticationToken', message: 'bad token' } }),
    );
    expect(error.reason).toBe('unauthorized');
    expect(error.message).toMatch(/AZURE_CLIENT_SECRET/);
  });

  it('a missing site says which and how to name it', async () => {
    const error = await failure(() => json(404, { error: { code: 'itemNotFound', message: 'not found' } }));
    expect(error.reason).toBe('site-not-found');
    expect(error.message).toContain('contoso.sharepoint.com:/sites/board:');
    expect(error.message).toMatch(/--site/);
  });
});

describe('provision CLI arguments', () => {
  it('reads --site, --site=, --dry-run and refuses the unknown', () => {
    expect(parseArgs(['--site', 'https://contoso.sharepoint.com/sites/board'])).toEqual({
      site: 'https://contoso.sharepoint.com/sites/board',
      dryRun: false,
      help: false,
    });
    expect(parseArgs(['--site=abc,def', '--dry-run'])).toMatchObject({ site: 'abc,def', dryRun: true });
    expect(() => parseArgs(['--site'])).toThrow(/--site needs/);
    expect(() => parseArgs(['--force'])).toThrow(/Unknown argument/);
  });

  it('--site replaces whichever site variable was configured', () => {
    const env = {
      SHAREPOINT_SITE_ID: 'old',
      SHAREPOINT_SITE_URL: 'https://x.sharepoint.com/sites/old',
      PORT: '1',
    };
    expect(envWithSite(env, 'https://contoso.sharepoint.com/sites/board')).toEqual({
      PORT: '1',
      SHAREPOINT_SITE_URL: 'https://contoso.sharepoint.com/sites/board',
    });
    expect(envWithSite(env, 'contoso.sharepoint.com,1,2')).toEqual({
      PORT: '1',
      SHAREPOINT_SITE_ID: 'contoso.sharepoint.com,1,2',
    });
    expect(envWithSite(env, undefined)).toBe(env);
  });
});

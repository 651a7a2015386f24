import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTabTokenValidator, tenantIssuers } from '../../bot/auth/tab-token.js';
import { boardRoleEnv, PEOPLE } from '../../scripts/board-fixture.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';

/**
 * The tab's Entra SSO tokens, checked for real: RS256 keys made here, an OpenID configuration and
 * JWKS served on loopback in Entra's shape, and tokens signed as Entra signs them. The bot's tab
 * API answers 200 to a good token and 401 to every kind of bad one.
 */

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const CLIENT = '11111111-2222-4333-8444-555555555555';
const AUDIENCE = `api://board.example.org/${CLIENT}`;
const [V1_ISSUER, V2_ISSUER] = tenantIssuers(TENANT) as [string, string];

let server: Server;
let authority: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let jwksRequests = 0;
let bot: TestBot;

async function token(
  claims: JWTPayload = {},
  options: { key?: CryptoKey; kid?: string; expiresIn?: string | number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    aud: AUDIENCE,
    iss: V1_ISSUER,
    tid: TENANT,
    oid: PEOPLE.officer.aadObjectId,
    name: PEOPLE.officer.name,
    upn: PEOPLE.officer.upn,
    scp: 'access_as_user',
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'board-key-1', typ: 'JWT' })
    .setIssuedAt(now - 60)
    .setNotBefore(now - 60)
    .setExpirationTime(options.expiresIn ?? now + 3600)
    .sign(options.key ?? signingKey);
}

/** `alg: none`: a header and payload with no signature at all. */
function unsigned(claims: JWTPayload): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: AUDIENCE, iss: V1_ISSUER, tid: TENANT, oid: 'x', scp: 'access_as_user', iat: now, exp: now + 3600, ...claims })}.`;
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'board-key-1', use: 'sig', alg: 'RS256' };
  server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
      res.end(JSON.stringify({ issuer: V2_ISSUER, jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys` }));
    } else if (req.url === `/${TENANT}/discovery/v2.0/keys`) {
      jwksRequests++;
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bot = await startTestBot({
    ...boardRoleEnv(),
    TAB_SSO_CLIENT_ID: CLIENT,
    TAB_SSO_TENANT_ID: TENANT,
    TAB_SSO_AUDIENCE: `${AUDIENCE},${CLIENT}`,
    TAB_SSO_AUTHORITY: authority,
  });
  // The board's team is the fixture's people: a token's person is on the board by being in it.
  bot.connector.setMembers(
    Object.values(PEOPLE).map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })),
  );
});

afterAll(async () => {
  await bot?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function me(bearer: string | undefined, extra: Record<string, string> = {}) {
  const res = await fetch(`${bot.bot.url}/tab/api/me`, {
    headers: { ...(bearer !== undefined ? { authorization: `Bearer ${bearer}` } : {}), ...extra },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the tab API with Entra SSO tokens', () => {
  it('answers 200 to a valid v1 or v2 token, with their role on the board', async () => {
    expect(await me(await token())).toEqual({
      status: 200,
      body: {
        name: 'Sonia Khan',
        role: 'officer',
        via: 'sso',
        boardName: 'Community Strategy Partnership Board',
      },
    });
    const v2 = await token({
      iss: V2_ISSUER,
      aud: CLIENT,
      oid: PEOPLE.jake.aadObjectId,
      name: 'Jake Ferguson',
    });
    expect(await me(v2)).toMatchObject({ status: 200, body: { role: 'partner' } });
  });

  it.each<[string, () => Promise<string>]>([
    ['expired', () => token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['for another audience', () => token({ aud: 'api://elsewhere.example.org/another-app' })],
    [
      'from another issuer',
      () => token({ iss: 'https://sts.windows.net/99999999-0000-4000-8000-000000000000/' }),
    ],
    ['from another tenant', () => token({ tid: '99999999-0000-4000-8000-000000000000' })],
    ['signed with an unknown key', () => token({}, { key: strangerKey, kid: 'not-ours' })],
    ['signed with an unknown key under our key id', () => token({}, { key: strangerKey })],
    ['unsigned (alg: none)', async () => unsigned({})],
    ['without the access_as_user scope', () => token({ scp: 'User.Read' })],
    ['without a user', () => token({ oid: undefined })],
    ['not a token at all', async () => 'not-a-token'],
  ])('answers 401 to a token %s', async (_what, make) => {
    const answer = await me(await make());
    expect(answer.status).toBe(401);
    expect(String(answer.body.error)).toContain('Open the Board tab in Teams');
  });

  it('answers 401 without a token, and to a development identity once SSO is on', async () => {
    expect((await me(undefined)).status).toBe(401);
    expect((await me(undefined, { 'x-tab-dev-as': 'officer' })).status).toBe(401);
  });

  it('fetches the signing keys once, not per request', async () => {
    const before = jwksRequests;
    for (let i = 0; i < 5; i++) expect((await me(await token())).status).toBe(200);
    expect(jwksRequests - before).toBe(0);
  });
});

describe('the validator on its own', () => {
  it('gives back who the token names', async () => {
    const validator = createTabTokenValidator({ tenantId: TENANT, audiences: [AUDIENCE], authority });
    expect(await validator.validate(await token({ preferred_username: 'sonia.khan@example.org' }))).toEqual({
      aadObjectId: PEOPLE.officer.aadObjectId,
      tenantId: TENANT,
      name: 'Sonia Khan',
      upn: 'sonia.khan@example.org',
    });
  });

  it('refuses every token while the signing keys cannot be fetched', async () => {
    const validator = createTabTokenValidator({
      tenantId: TENANT,
      audiences: [AUDIENCE],
      authority: `${authority}/nowhere`,
    });
    await expect(validator.validate(await token())).rejects.toThrow(/signing keys unavailable/);
  });
});

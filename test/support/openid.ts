import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

/**
 * A test-only Bot Framework channel identity provider on loopback: an OpenID configuration and a
 * JWKS with RS256 keys generated here, so tests sign channel tokens for real and the bot checks them
 * with botbuilder's own validation, pointed here through its documented settings
 * (`ToBotFromChannelOpenIdMetadataUrl`, `ToBotFromChannelTokenIssuer` and the rest of that set).
 *
 * The Emulator's metadata setting points at a second document whose key set is empty, so a token in
 * the Emulator's shape cannot take a side door while the channel's settings are overridden.
 */

/** The Bot Framework's public-cloud values for the outbound leg and the caller id (botbuilder defaults). */
const PUBLIC_CLOUD = {
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  loginUrlPrefix: 'https://login.microsoftonline.com/',
  oAuthScope: 'https://api.botframework.com',
  callerId: 'urn:botframework:azure',
};

/** The kid of the key the channel signs with; its JWKS entry is endorsed for Teams only. */
const CHANNEL_KID = 'board-test-channel-key';

interface ChannelTokenOptions {
  /** A private key other than the provider's (an attacker's). */
  key?: CryptoKey;
  kid?: string;
  /** Seconds since the epoch. */
  issuedAt?: number;
  notBefore?: number;
  expires?: number;
}

export interface TestOpenId {
  /** e.g. http://127.0.0.1:PORT/.well-known/openidconfiguration */
  metadataUrl: string;
  /** The issuer the channel's tokens carry. */
  issuer: string;
  /** How often the bot fetched the key set. */
  readonly jwksRequests: number;
  /** A channel token as the Bot Framework would send it to this app for an activity from `serviceUrl`. */
  sign(
    appId: string,
    serviceUrl: string,
    claims?: JWTPayload,
    options?: ChannelTokenOptions,
  ): Promise<string>;
  /** Header and payload with `alg: none` and no signature. */
  unsigned(claims: JWTPayload, header?: Record<string, unknown>): string;
  /** HS256 with the provider's public key (PEM) as the HMAC secret: the algorithm-confusion forgery. */
  hmacWithPublicKey(claims: JWTPayload): Promise<string>;
  /** A key pair nobody trusts. */
  strangerKey(): Promise<CryptoKey>;
  /**
   * The botbuilder settings that point the bot here, in the shape `createAdapter` passes through
   * from the environment; the outbound leg keeps the public-cloud values (`loginTenant` for a
   * single-tenant app).
   */
  settings(options?: { loginTenant?: string }): Record<string, string>;
  close(): Promise<void>;
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

export async function startTestOpenId(): Promise<TestOpenId> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const publicPem = await exportSPKI(pair.publicKey);
  const jwk: JWK = {
    ...(await exportJWK(pair.publicKey)),
    kid: CHANNEL_KID,
    use: 'sig',
    alg: 'RS256',
  };
  // The Bot Framework publishes which channels each key may sign for; botbuilder enforces it.
  const channelKeys = { keys: [{ ...jwk, endorsements: ['msteams'] }] };
  let jwksRequests = 0;
  let base = '';

  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    switch (req.url) {
      case '/.well-known/openidconfiguration':
        res.end(
          JSON.stringify({
            issuer: base,
            authorization_endpoint: `${base}/authorize`,
            jwks_uri: `${base}/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          }),
        );
        return;
      case '/keys':
        jwksRequests++;
        res.end(JSON.stringify(channelKeys));
        return;
      case '/emulator/.well-known/openidconfiguration':
        res.end(JSON.stringify({ issuer: `${base}/emulator`, jwks_uri: `${base}/emulator/keys` }));
        return;
      case '/emulator/keys':
        res.end(JSON.stringify({ keys: [] }));
        return;
      default:
        res.statusCode = 404;
        res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = base;

  return {
    metadataUrl: `${base}/.well-known/openidconfiguration`,
    issuer,
    get jwksRequests() {
      return jwksRequests;
    },
    async sign(appId, serviceUrl, claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ serviceurl: serviceUrl, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? CHANNEL_KID, typ: 'JWT' })
        .setIssuer(typeof claims.iss === 'string' ? claims.iss : issuer)
        .setAudience(claims.aud ?? appId)
        .setIssuedAt(options.issuedAt ?? now - 60)
        .setNotBefore(options.notBefore ?? now - 60)
        .setExpirationTime(options.expires ?? now + 3600)
        .sign(options.key ?? pair.privateKey);
    },
    unsigned(claims, header = { alg: 'none', typ: 'JWT' }) {
      return `${b64(header)}.${b64(claims)}.`;
    },
    async hmacWithPublicKey(claims) {
      const head = b64({ alg: 'HS256', typ: 'JWT', kid: CHANNEL_KID });
      const body = b64(claims);
      const mac = createHmac('sha256', publicPem).update(`${head}.${body}`).digest('base64url');
      return `${head}.${body}.${mac}`;
    },
    async strangerKey() {
      return (await generateKeyPair('RS256')).privateKey;
    },
    settings(options = {}) {
      return {
        ToBotFromChannelOpenIdMetadataUrl: `${base}/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: issuer,
        ToBotFromEmulatorOpenIdMetadataUrl: `${base}/emulator/.well-known/openidconfiguration`,
        ToChannelFromBotLoginUrl: options.loginTenant
          ? `${PUBLIC_CLOUD.loginUrlPrefix}${options.loginTenant}`
          : PUBLIC_CLOUD.loginUrl,
        ToChannelFromBotOAuthScope: PUBLIC_CLOUD.oAuthScope,
        CallerId: PUBLIC_CLOUD.callerId,
        ValidateAuthority: 'true',
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The time now, in the seconds JWTs count in. */
export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The bot's own token for talking to the connector (its replies). Getting one means a
 * client-credentials call to Entra over https, which is outside these tests; botbuilder keeps such
 * tokens in its process-wide cache, so we place one there and the bot's replies reach the
 * connector stand-in. Inbound checking, the subject here, is untouched by this.
 */
export function placeOutboundToken(appId: string, scope = PUBLIC_CLOUD.oAuthScope): string {
  const require = createRequire(createRequire(import.meta.url).resolve('botbuilder'));
  const connector = require('botframework-connector') as {
    AppCredentials: { cache: Map<string, { accessToken: string; expiresOn: Date }> };
  };
  const accessToken = `outbound-test-token-${appId}`;
  connector.AppCredentials.cache.set(`${appId}${scope}-cache`, {
    accessToken,
    expiresOn: new Date(Date.now() + 3_600_000),
  });
  return accessToken;
}

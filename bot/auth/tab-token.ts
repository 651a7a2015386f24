import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/**
 * Validates the Entra SSO tokens the board tab gets from Teams (`authentication.getAuthToken`) and
 * sends with each API call. The keys come from the tenant's OpenID configuration (its `jwks_uri`),
 * fetched once and refreshed by jose when a token names a key it has not seen.
 *
 * A token passes only if it is RS256-signed by one of those keys, unexpired, issued by the
 * configured tenant (v1 or v2 issuer), for one of our audiences, carries the `access_as_user`
 * scope the tab asks for, and names a user (`oid`).
 */

const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';
/** The delegated scope the app registration exposes for Teams SSO. */
const TAB_SCOPE = 'access_as_user';

export interface TabTokenOptions {
  /** The council's tenant: tokens from any other are refused. */
  tenantId: string;
  /** Accepted `aud` values: `api://<host>/<app id>` and the app id itself (v2 tokens). */
  audiences: readonly string[];
  /** Where the OpenID configuration lives; Entra's by default (tests serve their own). */
  authority?: string | undefined;
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  clockToleranceSeconds?: number;
}

/** Who the token says is calling. */
interface TabUser {
  aadObjectId: string;
  tenantId: string;
  name: string;
  upn?: string | undefined;
}

export class TabTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Tab token refused: ${reason}`);
    this.name = 'TabTokenError';
  }
}

export interface TabTokenValidator {
  validate(token: string): Promise<TabUser>;
}

function openIdConfigUrl(authority: string, tenantId: string): string {
  return `${authority.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
}

/** Both issuers Entra uses for one tenant: v1 tokens (the Teams SSO default) and v2. */
export function tenantIssuers(tenantId: string): string[] {
  return [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`];
}

function hasScope(payload: JWTPayload, scope: string): boolean {
  const scp = payload.scp;
  return typeof scp === 'string' && scp.split(' ').includes(scope);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function createTabTokenValidator(options: TabTokenOptions): TabTokenValidator {
  if (!options.audiences.length) throw new Error('A tab token validator needs at least one audience');
  const configUrl = openIdConfigUrl(options.authority ?? ENTRA_AUTHORITY, options.tenantId);
  let keys: Promise<JWTVerifyGetKey> | undefined;

  // The configuration is read lazily and read again after a failure, so a start-up without network
  // does not leave the tab refusing everyone until a restart.
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= (async () => {
      const res = await fetch(configUrl, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`OpenID configuration answered ${res.status}`);
      const body = (await res.json()) as { jwks_uri?: unknown };
      if (typeof body.jwks_uri !== 'string') throw new Error('OpenID configuration has no jwks_uri');
      return createRemoteJWKSet(new URL(body.jwks_uri), { timeoutDuration: 10_000 });
    })();
    keys.catch(() => (keys = undefined));
    return keys;
  };

  return {
    async validate(token) {
      if (!token) throw new TabTokenError('no token');
      let getKey: JWTVerifyGetKey;
      try {
        getKey = await keySet();
      } catch (err) {
        throw new TabTokenError(`signing keys unavailable (${(err as Error).message})`);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: ['RS256'],
          issuer: tenantIssuers(options.tenantId),
          audience: [...options.audiences],
          clockTolerance: options.clockToleranceSeconds ?? 300,
          requiredClaims: ['exp', 'iat', 'oid', 'tid'],
        }));
      } catch (err) {
        const reason =
          err instanceof errors.JOSEError ? `${err.code}: ${err.message}` : (err as Error).message;
        throw new TabTokenError(reason);
      }
      if (payload.tid !== options.tenantId) throw new TabTokenError('token from another tenant');
      if (!hasScope(payload, TAB_SCOPE)) throw new TabTokenError(`no ${TAB_SCOPE} scope`);
      const oid = text(payload.oid);
      if (!oid) throw new TabTokenError('no user in the token');
      const upn = text(payload.preferred_username) ?? text(payload.upn) ?? text(payload.unique_name);
      return {
        aadObjectId: oid,
        tenantId: options.tenantId,
        name: text(payload.name) ?? upn ?? 'Someone',
        upn,
      };
    },
  };
}

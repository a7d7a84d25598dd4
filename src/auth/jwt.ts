/** Bearer JWTs: HS256 with JWT_SECRET, RS256/ES256 from JWKS_URL; algorithm pinned, exp required. */
import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HttpError } from '../errors.js';
import type { User } from '@pusher-auth-server/channel-auth';
import { createHs256Verifier } from './hs256.js';
import { rejectionReason, TokenRejected } from './jwt-rejection.js';
import { identityClaimsSchema, userFromClaims } from './user.js';
import { createVerifiedTokens } from './verified-tokens.js';

export interface JwtOptions {
  readonly secret: string | undefined;
  readonly jwksUrl: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly clock: () => number;
}

/** Resolves to the user; rejects with `TokenRejected` for an invalid token, an `HttpError` 502 when JWKS_URL fails. */
export type JwtVerifier = (token: string) => Promise<User>;

const ASYMMETRIC = ['RS256', 'ES256'];

export function createJwtVerifier(options: JwtOptions): JwtVerifier | undefined {
  const { secret, jwksUrl, clock } = options;
  if (secret === undefined && jwksUrl === undefined) return undefined;
  // Imported once: handing jose raw bytes would re-import the key on every request.
  const hmacKey = secret === undefined ? undefined : importHmacKey(secret);
  const hs256 = secret === undefined ? undefined : createHs256Verifier(secret);
  const jwks = jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(jwksUrl));
  const algorithms = [...(hmacKey ? ['HS256'] : []), ...(jwks ? ASYMMETRIC : [])];
  const keyFor: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && hmacKey) return hmacKey;
    if (jwks) return jwks(header, token).catch(toJwksOutage);
    throw new Error('no key for this algorithm');
  };
  const verified = createVerifiedTokens();
  return async (token) => {
    const now = clock();
    const known = verified.get(token, now);
    if (known) return known;
    try {
      const claimOptions = {
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now),
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        ...(options.audience === undefined ? {} : { audience: options.audience }),
      };
      const payload = hs256?.(token, claimOptions) ?? (await jwtVerify(token, keyFor, { algorithms, ...claimOptions })).payload;
      const user = userFromPayload(payload);
      verified.remember(token, { user, exp: payload.exp as number, nbf: payload.nbf });
      return user;
    } catch (err) {
      if (err instanceof HttpError || err instanceof TokenRejected) throw err; // a 502 (JWKS_URL is down), or our own reason
      throw new TokenRejected(rejectionReason(err)); // expired, wrong key, wrong algorithm: all "nobody"
    }
  };
}

/** A token naming no known key is the token's fault; an unreachable or broken JWKS is a 502. */
function toJwksOutage(err: unknown): never {
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
  const timedOut = err instanceof errors.JWKSTimeout;
  throw new HttpError('upstream_error', `The JWKS endpoint ${timedOut ? 'did not answer in time' : 'failed'}.`, {
    source: 'JWKS_URL',
  });
}

function importHmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  const bytes = new TextEncoder().encode(secret);
  return webcrypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

/**
 * The user the claims name, their credentials expiring with the token's `exp` (an `expiresAt`
 * claim is not read); `TokenRejected` naming the first invalid claim (`sub` for the id).
 */
function userFromPayload(payload: JWTPayload): User {
  const claims = identityClaimsSchema.safeParse({ ...payload, id: payload.sub, expiresAt: payload.exp });
  if (claims.success) return userFromClaims(claims.data);
  const field = claims.error.issues[0]?.path[0];
  throw new TokenRejected(`invalid claim ${field === 'id' ? 'sub' : String(field)}`);
}

export const DEMO_TOKEN_SECONDS = 3600;

/** The demo login's token: HS256, one hour unless `lifetimeSeconds` says otherwise, `sub` plus an optional `name`. */
export async function issueDemoToken(
  options: Pick<JwtOptions, 'issuer' | 'audience'> & { secret: string },
  user: { id: string; name?: string },
  now: number,
  lifetimeSeconds = DEMO_TOKEN_SECONDS,
): Promise<string> {
  const seconds = Math.floor(now / 1000);
  const token = new SignJWT(user.name === undefined ? {} : { name: user.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + lifetimeSeconds);
  if (options.issuer !== undefined) token.setIssuer(options.issuer);
  if (options.audience !== undefined) token.setAudience(options.audience);
  return token.sign(new TextEncoder().encode(options.secret));
}

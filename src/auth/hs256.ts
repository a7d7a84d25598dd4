/**
 * HS256 bearer tokens checked with node:crypto's HMAC, synchronously. jose checks a signature
 * through WebCrypto, an async job per token (15-55 µs each here, against about 3 µs), and in a
 * reconnect storm, when every token is new, that was among the auth process's largest costs
 * (docs/performance.md#jwt-verification-in-a-storm).
 *
 * Only the plainest tokens take this path: three base64url parts and a protected header that is a
 * JSON object with `alg` HS256 and neither `crit` nor `b64`. Any other token goes to jose as
 * before, so its refusal and its reason are unchanged. Only the signature check is ours: the
 * claims are checked by jose's own claim-set validation (`UnsecuredJWT.decode` runs the one
 * `jwtVerify` runs, on the payload whose signature was checked here).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors, UnsecuredJWT, type JWTClaimVerificationOptions, type JWTPayload } from 'jose';

/** The verified claims; throws jose's error for a refused token; `undefined` when the token is jose's to check. */
export type Hs256Verify = (token: string, options: JWTClaimVerificationOptions) => JWTPayload | undefined;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UNSECURED_HEADER = Buffer.from('{"alg":"none"}').toString('base64url');

export function createHs256Verifier(secret: string): Hs256Verify {
  const key = Buffer.from(secret, 'utf8');
  return (token, options) => {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header = '', payload = '', signature = ''] = parts;
    if (!BASE64URL.test(header) || !BASE64URL.test(payload) || !BASE64URL.test(signature) || !isPlainHs256(header)) return undefined;
    const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new errors.JWSSignatureVerificationFailed();
    return UnsecuredJWT.decode(`${UNSECURED_HEADER}.${payload}.`, options).payload;
  };
}

function isPlainHs256(encodedHeader: string): boolean {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
  return (header as { alg?: unknown }).alg === 'HS256' && !('crit' in header) && !('b64' in header);
}

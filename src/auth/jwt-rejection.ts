/**
 * Why a bearer JWT was refused, in a few fixed words made from jose's error classes and claim
 * names: safe to log and to show, because nothing of the token's text is ever in them.
 */
import { errors } from 'jose';

/** A token refused for `reason`; the verifier throws it, `identify` answers it as a 401. */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`bearer token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

/** jose's words for the registered claims it checks; anything else is not named. */
const CLAIMS = new Set(['iss', 'aud', 'sub', 'exp', 'nbf', 'iat', 'typ']);
const WRONG: Readonly<Record<string, string>> = { iss: 'wrong issuer', aud: 'wrong audience', nbf: 'not valid yet', iat: 'issued in the future' };

function claimReason(err: errors.JWTClaimValidationFailed): string {
  const claim = CLAIMS.has(err.claim) ? err.claim : 'a claim';
  if (err.reason === 'missing') return `missing claim ${claim}`;
  if (err.reason === 'check_failed' && WRONG[claim]) return WRONG[claim];
  return `invalid claim ${claim}`;
}

export function rejectionReason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return claimReason(err);
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'wrong algorithm';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key matches its kid';
  if (err instanceof errors.JWKSMultipleMatchingKeys) return 'several keys match its kid';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) return 'malformed';
  return 'invalid';
}

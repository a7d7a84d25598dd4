/** `Authorization: Bearer <token>`, read the same way on every route. */
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

// Digests have one length, so comparing them leaks neither a token nor its length.
const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Whether `presented` is one of `accepted`: every one is compared, in constant time. */
export function createTokenCheck(accepted: readonly string[]): (presented: string) => boolean {
  const digests = accepted.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let match = false;
    for (const token of digests) match = timingSafeEqual(token, candidate) || match;
    return match;
  };
}

/** Who is asking? The first identity source that is configured and present decides (docs/design.md#identity). */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { bearerToken } from '../http/bearer.js';
import type { ForwardAuth } from './forward-auth.js';
import type { JwtVerifier } from './jwt.js';
import { TokenRejected } from './jwt-rejection.js';
import type { User } from '@pusher-auth-server/channel-auth';

export type Identify = (headers: IncomingHttpHeaders) => Promise<User>;

export interface IdentifyOptions {
  readonly logger: Logger;
  /** Put why a bearer token was refused into the 401's `details` (AUTH_EXPLAIN). */
  readonly explain: boolean;
  /** Told what identifying threw (a 401, an identity source's 502), e.g. to count outages. */
  readonly onFailure?: (err: unknown) => void;
}

/** Resolves to the verified user or throws a 401 `HttpError` (a 502 from forward-auth or JWKS_URL passes through). */
export function createIdentify(sources: { jwt?: JwtVerifier; forward?: ForwardAuth }, options: IdentifyOptions): Identify {
  const identify = identifyFrom(sources, options);
  const { onFailure } = options;
  if (!onFailure) return identify;
  return (headers) =>
    identify(headers).catch((err: unknown) => {
      onFailure(err);
      throw err;
    });
}

function identifyFrom({ jwt, forward }: { jwt?: JwtVerifier; forward?: ForwardAuth }, { logger, explain }: IdentifyOptions): Identify {
  return async (headers) => {
    const bearer = bearerToken(headers.authorization);
    if (jwt && bearer !== undefined) {
      // A present but invalid token never falls through to another source.
      return jwt(bearer).catch((err: unknown) => {
        if (!(err instanceof TokenRejected)) throw err;
        logger.debug({ reason: err.reason }, 'bearer token rejected'); // the reason only: never the token
        throw new HttpError('unauthenticated', 'The bearer token is invalid or has expired.', explain ? { reason: err.reason } : undefined);
      });
    }
    // Forward-auth only when there is something to forward: no credentials is nobody, without a call.
    if (forward && (headers.cookie !== undefined || headers.authorization !== undefined)) {
      const user = await forward({ cookie: headers.cookie, authorization: headers.authorization });
      if (!user) throw new HttpError('unauthenticated', 'The identity service does not know this session.');
      return user;
    }
    throw new HttpError('unauthenticated');
  };
}

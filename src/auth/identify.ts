/** Who is asking? The first identity source that is configured and present decides (docs/design.md#identity). */
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../errors.js';
import { bearerToken } from '../http/bearer.js';
import type { ForwardAuth } from './forward-auth.js';
import type { JwtVerifier } from './jwt.js';
import type { User } from '@pusher-auth-server/channel-auth';

export type Identify = (headers: IncomingHttpHeaders) => Promise<User>;

/** Resolves to the verified user or throws a 401 `HttpError` (a 502 from forward-auth passes through). */
export function createIdentify(sources: { jwt?: JwtVerifier; forward?: ForwardAuth }): Identify {
  const { jwt, forward } = sources;
  return async (headers) => {
    const bearer = bearerToken(headers.authorization);
    if (jwt && bearer !== undefined) {
      // A present but invalid token never falls through to another source.
      const user = await jwt(bearer);
      if (!user) throw new HttpError('unauthenticated', 'The bearer token is invalid or has expired.');
      return user;
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

/**
 * The standalone server's auth routes: the package's `pusherAuth` router, identity from the
 * server's own sources (JWT, IDENTITY_URL), behind CORS, the per-client rate limit and timing.
 */
import { type ChannelAuth, PUSHER_AUTH_PATHS, pusherAuth } from '@pusher-auth-server/channel-auth';
import { type RequestHandler, Router } from 'express';
import { corsFor } from '../http/cors.js';
import { onFinish } from '../http/on-finish.js';
import { limitRequests, type RequestLimit } from '../http/rate-limit.js';
import type { Identify } from './identify.js';

export interface AuthRouteDeps {
  readonly identify: Identify;
  readonly channelAuth: ChannelAuth;
  readonly corsOrigins: readonly string[];
  /** AUTH_RATE_LIMIT_PER_MINUTE, shared with the fast path: one budget however the request is answered. */
  readonly limit: RequestLimit | undefined;
  /** Told how long each answer took, whatever it was. */
  readonly onAnswered?: (route: 'channel' | 'user', seconds: number) => void;
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const { identify, onAnswered } = deps;
  const router = Router();
  const timed = (route: 'channel' | 'user'): RequestHandler[] =>
    onAnswered ? [onFinish((_status, seconds) => onAnswered(route, seconds))] : [];
  const cors = corsFor(deps.corsOrigins);
  if (cors.length > 0) router.use([...PUSHER_AUTH_PATHS.channel, ...PUSHER_AUTH_PATHS.user], ...cors);
  const limit = limitRequests(deps.limit); // one budget for both routes
  for (const route of ['channel', 'user'] as const) {
    const before = [...timed(route), ...limit];
    if (before.length > 0) router.post([...PUSHER_AUTH_PATHS[route]], ...before);
  }
  router.use(pusherAuth({ channelAuth: deps.channelAuth, user: (req) => identify(req.headers) }));
  return router;
}

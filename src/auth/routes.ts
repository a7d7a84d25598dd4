/** POST /pusher/auth and /pusher/user-auth, with Laravel's /broadcasting/* aliases. */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError } from '../errors.js';
import { parseBody } from '../http/body.js';
import { corsFor } from '../http/cors.js';
import { onFinish } from '../http/on-finish.js';
import { authRateLimit } from '../http/rate-limit.js';
import { validate } from '../http/validate.js';
import { channelNameProblem, readChannelAuthRequest, socketIdSchema } from './auth-request.js';
import { performance } from 'node:perf_hooks';
import type { DecisionLog } from '../policy/decision-log.js';
import { isThenable, type MaybePromise } from '../policy/maybe-async.js';
import type { ChannelAuthorizer } from './authorize-channel.js';
import type { Identify } from './identify.js';
import type { Signer } from './signer.js';

const AUTH_BODY_LIMIT = '16kb';

export interface AuthRouteDeps {
  readonly identify: Identify;
  readonly authorizeChannel: ChannelAuthorizer;
  readonly signer: Signer;
  readonly decisions: DecisionLog;
  readonly corsOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
  /** Told each answer's status and how long it took, whatever it was. */
  readonly onAnswered?: (route: 'channel' | 'user', status: number, seconds: number) => void;
}

type BatchEntry =
  | { status: 200; data: Record<string, string> }
  | { status: number; error: { code: string; message: string } };

export function authRoutes(deps: AuthRouteDeps): Router {
  const { identify, authorizeChannel, signer, decisions } = deps;
  const router = Router();
  const channelPaths = ['/pusher/auth', '/broadcasting/auth'];
  const userPaths = ['/pusher/user-auth', '/broadcasting/user-auth'];
  const timed = (route: 'channel' | 'user'): RequestHandler[] => {
    const { onAnswered } = deps;
    return onAnswered ? [onFinish((status, seconds) => onAnswered(route, status, seconds))] : [];
  };
  const guards: RequestHandler[] = [
    ...authRateLimit(deps.rateLimitPerMinute),
    ...parseBody({ limit: AUTH_BODY_LIMIT, form: true }),
  ];
  const cors = corsFor(deps.corsOrigins);
  if (cors.length > 0) router.use([...channelPaths, ...userPaths], ...cors);

  const batchEntry = (user: Parameters<ChannelAuthorizer>[0], socketId: string, channel: string): MaybePromise<BatchEntry> => {
    const problem = channelNameProblem(channel);
    if (problem) return { status: 400, error: { code: 'invalid_request', message: `channel_name ${problem}` } };
    const signed = (data: Record<string, string>): BatchEntry => ({ status: 200, data });
    try {
      const answer = authorizeChannel(user, socketId, channel);
      return isThenable(answer) ? answer.then(signed, refusedEntry) : signed(answer);
    } catch (err) {
      return refusedEntry(err);
    }
  };

  router.post(channelPaths, ...timed('channel'), ...guards, async (req, res) => {
    const request = readChannelAuthRequest(req.body);
    const user = await identify(req.headers);
    if (!request.batch) {
      const answer = authorizeChannel(user, request.socketId, request.channels[0] as string);
      res.json(isThenable(answer) ? await answer : answer);
      return;
    }
    // Decided concurrently; awaited only when some rule answered with a promise.
    const entries = request.channels.map((name) => batchEntry(user, request.socketId, name));
    const settled = entries.some(isThenable) ? await Promise.all(entries) : (entries as BatchEntry[]);
    res.json(Object.fromEntries(request.channels.map((name, i) => [name, settled[i]])));
  });

  router.post(userPaths, ...timed('user'), ...guards, async (req, res) => {
    const { socket_id } = validate(z.object({ socket_id: socketIdSchema }), req.body);
    const startedAt = performance.now();
    const user = await identify(req.headers);
    decisions.user(user, startedAt);
    res.json(signer.signUser(socket_id, { id: user.id, ...(user.info ? { user_info: user.info } : {}) }));
  });

  return router;
}

function refusedEntry(err: unknown): BatchEntry {
  if (!(err instanceof HttpError)) throw err;
  return { status: err.status, error: { code: err.code, message: err.message } }; // DESIGN 9.4's shape
}

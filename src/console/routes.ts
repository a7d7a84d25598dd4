/**
 * The operator console: the page, and behind `Authorization: Bearer <CONSOLE_TOKEN>` the live
 * decisions, "what if", the embedded server's state and terminating a user.
 */
import { Router, type RequestHandler } from 'express';
import type { EmbeddedSnapshot } from '@pusher-auth-server/embedded';
import { HttpError, notFoundHandler } from '../errors.js';
import { parseBody } from '@pusher-auth-server/channel-auth/http';
import { onFinish, type AnswerListener } from '../http/on-finish.js';
import { requireBearer } from '../http/require-bearer.js';
import type { TokenFailures } from '../http/token-failures.js';
import { PUBLIC_DIR } from '../paths.js';
import { terminateHandler } from '../users/routes.js';
import type { TerminateUser } from '../users/terminator.js';
import type { DecisionFeed } from './decision-feed.js';
import { STREAM_LIMITS, streamDecisions, type StreamLimits } from './event-stream.js';
import { readExplainRequest, type Explain } from './explain.js';
import { boundedState } from './state.js';

export interface ConsoleDeps {
  readonly token: string;
  /** Wrong tokens per client address, shared by every token-protected route. */
  readonly failures: TokenFailures;
  readonly feed: DecisionFeed;
  readonly explain: Explain;
  /** Embedded mode: the server's state; absent, GET /console/state is a 404. */
  readonly snapshot?: () => EmbeddedSnapshot;
  /** The same path as POST /users/:userId/terminate; absent, the console cannot terminate. */
  readonly terminateUser?: TerminateUser;
  /** Told each terminate answer's status, as POST /users/:userId/terminate's are (metrics). */
  readonly onTerminateAnswered?: AnswerListener;
  readonly streamLimits?: StreamLimits;
}

/** Each open stream costs the auth path one call per decision: their number is bounded. */
const MAX_CONSOLE_READERS = 16;
const EXPLAIN_BODY_LIMIT = '16kb';

export function consoleRoutes(deps: ConsoleDeps): Router {
  const { feed, snapshot, terminateUser } = deps;
  const router = Router();
  router.get('/console', (_req, res) => res.sendFile('console.html', { root: PUBLIC_DIR }));
  const terminatePath = '/console/users/:userId/terminate';
  // Before the token check, so a refused terminate counts as one, as on /users/:userId/terminate.
  if (terminateUser && deps.onTerminateAnswered) router.post(terminatePath, onFinish(deps.onTerminateAnswered));
  router.use('/console', requireBearer([deps.token], { variable: 'CONSOLE_TOKEN', label: 'console token' }, deps.failures));

  router.get('/console/decisions', (_req, res) => {
    if (feed.readerCount >= MAX_CONSOLE_READERS) {
      throw new HttpError('rate_limited', `At most ${MAX_CONSOLE_READERS} console streams may be open at once.`);
    }
    streamDecisions(res, feed, deps.streamLimits ?? STREAM_LIMITS);
  });

  router.post('/console/explain', ...parseBody({ limit: EXPLAIN_BODY_LIMIT }), async (req, res) => {
    const { user, channel } = readExplainRequest(req.body);
    res.json(await deps.explain(user, channel));
  });

  if (snapshot) router.get('/console/state', (_req, res) => res.json(boundedState(snapshot())));

  if (terminateUser) {
    router.post(terminatePath, terminateHandler(terminateUser));
  }
  return router;
}

const CONSOLE_PATH = /^\/console(?:[./]|$)/;

/** Without a CONSOLE_TOKEN: 404 for the console's routes, its page and its files alike. */
export const consoleOff: RequestHandler = (req, res, next) =>
  CONSOLE_PATH.test(req.path) ? notFoundHandler(req, res, next) : next();

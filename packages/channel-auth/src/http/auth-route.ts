/**
 * One request to an auth route, from its parsed body to its answer, whatever serves it (the
 * Express router, or a server's own `node:http` handler): input rules (400), then who is asking
 * (401 when nobody), then the core (403, 502, or the signature).
 */
import { z } from 'zod';
import { answerOf, type AuthAnswer } from '../answers.js';
import type { ChannelAuth, MaybeUser } from '../core.js';
import { type BodySource, readChannelAuthRequest } from './read-request.js';
import { channelRequestProblem, socketIdSchema } from '../requests.js';
import { HttpError } from './errors.js';
import { validate } from './validate.js';

/** `channel`: POST /pusher/auth (and Laravel's /broadcasting/auth); `user`: /pusher/user-auth. */
export type AuthRoute = 'channel' | 'user';

/** The routes, relative to where they are served; `/broadcasting/*` are Laravel Echo's names. */
export const PUSHER_AUTH_PATHS = {
  channel: ['/pusher/auth', '/broadcasting/auth'],
  user: ['/pusher/user-auth', '/broadcasting/user-auth'],
} as const;

const userRequestSchema = z.object({ socket_id: socketIdSchema });

/**
 * The answer to one auth request. `user()` is asked only once the input is valid; what it throws
 * (or a bug) rejects the promise, for the caller's own error handling.
 */
export async function answerAuthRoute(
  auth: ChannelAuth,
  route: AuthRoute,
  body: unknown,
  source: BodySource,
  user: () => MaybeUser | Promise<MaybeUser>,
): Promise<AuthAnswer> {
  if (route === 'user') {
    const read = refusedOr(() => validate(userRequestSchema, body).socket_id);
    if (read instanceof HttpError) return answerOf(read);
    return auth.authenticateUser({ user: await user(), socketId: read });
  }
  const request = refusedOr(() => {
    const read = readChannelAuthRequest(body, source);
    const problem = channelRequestProblem(read.socketId, read.channels, read.batch);
    if (problem) throw problem;
    return read;
  });
  if (request instanceof HttpError) return answerOf(request);
  const { socketId, channels } = request;
  const who = await user();
  if (request.batch) return auth.authorizeBatch({ user: who, socketId, channels });
  return auth.authorizeChannel({ user: who, socketId, channel: channels[0] as string });
}

/** The input rules' refusal as a value; anything else thrown is a bug and goes on. */
function refusedOr<T>(read: () => T): T | HttpError {
  try {
    return read();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
}

/**
 * `pusherAuth(options)`: the Express router that answers pusher-js's channel authorization and
 * user authentication, with identity from your app's `user(req)`. It parses the body itself, or
 * reads what your app's `express.json()` / `express.urlencoded()` already parsed.
 */
import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { AuthAnswer } from '../answers.js';
import { type ChannelAuth, type ChannelAuthOptions, createChannelAuth, type MaybeUser } from '../core.js';
import { parseBody } from '../http/body.js';
import { FORM_TYPE, parseContentType } from '../http/content-type.js';
import { httpErrorOf } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { channelRequestProblem, socketIdSchema } from '../requests.js';
import { z } from 'zod';
import { readChannelAuthRequest } from './read-request.js';

/** The routes, relative to where the router is mounted; `/broadcasting/*` are Laravel Echo's names. */
export const PUSHER_AUTH_PATHS = {
  channel: ['/pusher/auth', '/broadcasting/auth'],
  user: ['/pusher/user-auth', '/broadcasting/user-auth'],
} as const;

const AUTH_BODY_LIMIT = '16kb';

export type PusherAuthOptions = (ChannelAuthOptions | { readonly channelAuth: ChannelAuth }) & {
  /**
   * Who is asking, from your app's session: `{ id, info?, channels?, expiresAt? }`, or `undefined`
   * / `null` for nobody (401). May return a promise; what it throws goes to `next(err)`.
   * Never build it from the request body: the client would choose who it is.
   */
  readonly user: (req: Request) => MaybeUser | Promise<MaybeUser>;
};

export function pusherAuth(options: PusherAuthOptions): Router {
  if (typeof options.user !== 'function') throw new TypeError('user is required: (req) => the signed-in user, or undefined for nobody.');
  const auth = 'channelAuth' in options ? options.channelAuth : createChannelAuth(options);
  const { user } = options;
  const router = Router();
  // Whether the app's own parser read the body: then a batch may come as an array (see read-request.ts).
  const parsedByApp = new WeakSet<Request>();
  const noteParser: RequestHandler = (req, _res, next) => {
    if (req.body !== undefined) parsedByApp.add(req);
    next();
  };
  const body = [noteParser, ...parseBody({ limit: AUTH_BODY_LIMIT, form: true }).map(answeringErrors)];

  router.post([...PUSHER_AUTH_PATHS.channel], ...body, async (req, res, next) => {
    let request;
    try {
      const form = parseContentType(req.headers['content-type'] ?? '').type === FORM_TYPE;
      request = readChannelAuthRequest(req.body, { form, parsedByApp: parsedByApp.has(req) });
      const problem = channelRequestProblem(request.socketId, request.channels, request.batch);
      if (problem) throw problem;
    } catch (err) {
      return refuse(err, req, res, next);
    }
    const who = await identify(user, req, next);
    if (who === failed) return;
    const { socketId, channels } = request;
    send(res, request.batch ? await auth.authorizeBatch({ user: who, socketId, channels }) : await auth.authorizeChannel({ user: who, socketId, channel: channels[0] as string }));
  });

  router.post([...PUSHER_AUTH_PATHS.user], ...body, async (req, res, next) => {
    let socketId: string;
    try {
      socketId = validate(z.object({ socket_id: socketIdSchema }), req.body).socket_id;
    } catch (err) {
      return refuse(err, req, res, next);
    }
    const who = await identify(user, req, next);
    if (who === failed) return;
    send(res, await auth.authenticateUser({ user: who, socketId }));
  });

  return router;
}

const failed = Symbol('user() threw');

/** The app's user; what `user()` throws is the app's to handle, through `next(err)`. */
async function identify(user: PusherAuthOptions['user'], req: Request, next: (err: unknown) => void): Promise<MaybeUser | typeof failed> {
  try {
    return await user(req);
  } catch (err) {
    next(err);
    return failed;
  }
}

/** Signatures are never cached, and a JSON answer is never sniffed as anything else. */
function send(res: Response, { status, body }: AuthAnswer): void {
  res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.status(status).json(body);
}

/** Our refusals (and the body parsers') are answered here, in the error shape; anything else is the app's. */
function refuse(err: unknown, req: Request, res: Response, next: (err: unknown) => void): void {
  const known = httpErrorOf(err, req);
  if (!known || res.headersSent) return next(err);
  send(res, { status: known.status, body: known.toBody() });
}

function answeringErrors(handler: RequestHandler): RequestHandler {
  return (req, res, next) => handler(req, res, (err?: unknown) => (err === undefined || err === null ? next() : refuse(err, req, res, next)));
}

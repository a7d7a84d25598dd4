/**
 * `pusherAuth(options)`: the Express router that answers pusher-js's channel authorization and
 * user authentication, with identity from your app's `user(req)`. It parses the body itself, or
 * reads what your app's `express.json()` / `express.urlencoded()` already parsed.
 */
import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { AuthAnswer } from '../answers.js';
import { type ChannelAuth, type ChannelAuthOptions, createChannelAuth, type MaybeUser } from '../core.js';
import { answerAuthRoute, type AuthRoute, PUSHER_AUTH_PATHS } from '../http/auth-route.js';
import { parseBody } from '../http/body.js';
import { FORM_TYPE, parseContentType } from '../http/content-type.js';
import { API_ANSWER_HEADERS, httpErrorOf } from '../http/errors.js';

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
  const answer =
    (route: AuthRoute): RequestHandler =>
    async (req, res, next) => {
      const source = { form: parseContentType(req.headers['content-type'] ?? '').type === FORM_TYPE, parsedByApp: parsedByApp.has(req) };
      let answered: AuthAnswer;
      try {
        answered = await answerAuthRoute(auth, route, req.body, source, () => user(req));
      } catch (err) {
        return next(err);
      }
      send(res, answered);
    };
  router.post([...PUSHER_AUTH_PATHS.channel], ...body, answer('channel'));
  router.post([...PUSHER_AUTH_PATHS.user], ...body, answer('user'));
  return router;
}

/** Signatures are never cached, and a JSON answer is never sniffed as anything else. */
function send(res: Response, { status, body }: AuthAnswer): void {
  res.set(API_ANSWER_HEADERS);
  res.status(status).json(body);
}

/** The body parsers' refusals are answered here, in the error shape; anything else is the app's. */
function answeringErrors(handler: RequestHandler): RequestHandler {
  return (req, res, next) =>
    handler(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const known = httpErrorOf(err, req);
      if (!known || res.headersSent) return next(err);
      send(res, { status: known.status, body: known.toBody() });
    });
}

/**
 * The auth routes answered on `node:http`, ahead of Express: the hot path of a reconnect storm
 * (docs/performance.md#the-auth-fast-path). It keeps what the Express routes guarantee: one rate
 * limit budget with them, the order of checks (415, 413, 400, 401, 403), the error shape, nosniff
 * and no-store, the timing metric and the decision log (the same core). What it does not take (a
 * CORS request, any other method or path) goes on to Express, which answers it as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type ChannelAuth, PUSHER_AUTH_PATHS } from '@pusher-auth-server/channel-auth';
import {
  answerAuthRoute,
  API_ANSWER_HEADERS,
  type AuthRoute,
  FORM_TYPE,
  HttpError,
  httpErrorOf,
  isClientAbort,
  parseBody,
  parseContentType,
} from '@pusher-auth-server/channel-auth/http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { RequestLimit } from '../http/rate-limit.js';
import type { Identify } from './identify.js';

export interface AuthFastPathDeps {
  readonly channelAuth: ChannelAuth;
  readonly identify: Identify;
  readonly limit: RequestLimit | undefined;
  /** The client's address as Express's `req.ip` reads it (TRUST_PROXY). */
  readonly clientIp: (req: IncomingMessage) => string;
  /** CORS_ORIGINS is set: a request with an Origin goes to Express, which answers CORS. */
  readonly cors: boolean;
  readonly logger: Logger;
  /** Told how long each answer took, whatever it was. */
  readonly onAnswered?: ((route: AuthRoute, seconds: number) => void) | undefined;
}

/** Answers the request and returns true, or returns false (touching nothing) when it is not its own. */
export type AuthFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

const ROUTES = new Map<string, AuthRoute>([
  ...PUSHER_AUTH_PATHS.channel.map((path) => [path, 'channel'] as const),
  ...PUSHER_AUTH_PATHS.user.map((path) => [path, 'user'] as const),
]);

export function createAuthFastPath(deps: AuthFastPathDeps): AuthFastPath {
  const parsers = parseBody({ limit: '16kb', form: true });
  const answer = async (route: AuthRoute, req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const { onAnswered } = deps;
    if (onAnswered) res.once('finish', () => onAnswered(route, (performance.now() - startedAt) / 1000));
    try {
      const limited = deps.limit?.take(deps.clientIp(req), res);
      if (limited) throw limited;
      const body = await parse(parsers, req, res);
      const form = parseContentType(req.headers['content-type'] ?? '').type === FORM_TYPE;
      const { status, body: answerBody } = await answerAuthRoute(deps.channelAuth, route, body, { form, parsedByApp: false }, () =>
        deps.identify(req.headers),
      );
      send(res, status, answerBody);
    } catch (err) {
      refuse(deps.logger, err, req, res);
    }
  };
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const route = ROUTES.get(queryAt === -1 ? url : url.slice(0, queryAt));
    if (route === undefined || (deps.cors && req.headers.origin !== undefined)) return false;
    void answer(route, req, res);
    return true;
  };
}

/** Runs the body parsers (content type, then size, then syntax) as Express would; the body they read. */
function parse(parsers: readonly RequestHandler[], req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const request = req as Request;
  return new Promise((resolve, reject) => {
    const step = (index: number) => (err?: unknown) => {
      if (err !== undefined && err !== null) return reject(err);
      const parser = parsers[index];
      if (!parser) return resolve(request.body);
      void parser(request, res as Response, step(index + 1));
    };
    step(0)();
  });
}

/** The answer for what went wrong, as the server's error handler would give it. */
function refuse(logger: Logger, err: unknown, req: IncomingMessage, res: ServerResponse): void {
  const known = httpErrorOf(err, req as Request);
  if (!known) logger.error({ err, method: req.method, path: req.url }, 'unhandled error');
  if (isClientAbort(err)) logger.debug({ method: req.method, path: req.url }, 'request aborted by the client');
  if (res.headersSent) return void res.destroy();
  const error = known ?? new HttpError('internal');
  send(res, error.status, error.toBody());
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    ...API_ANSWER_HEADERS,
  });
  res.end(json);
}

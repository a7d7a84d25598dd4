/** The server's one handler that writes error bodies, and its JSON 404. The error type is the package's. */
import { HttpError, httpErrorOf, isClientAbort } from '@pusher-auth-server/channel-auth/http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

export { HttpError };

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError('not_found', `No route for ${req.method} ${req.path}.`));
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const known = httpErrorOf(err, req);
    const httpError = known ?? new HttpError('internal');
    if (!known) log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    if (isClientAbort(err)) log.debug({ method: req.method, path: req.path }, 'request aborted by the client');
    if (res.headersSent) return next(err); // too late for a body: Express closes the connection
    res.status(httpError.status).json(httpError.toBody());
  };
}

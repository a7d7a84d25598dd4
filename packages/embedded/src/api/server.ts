/**
 * The HTTP API on plain `node:http`: `/apps/:appId/...`. Every answer carries `Content-Length`
 * (never chunked); success bodies are JSON, refusals plain text, like Pusher's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmbeddedContext } from '../context.js';
import { readBody } from './body.js';
import { ApiError, badRequest } from './errors.js';
import { findRoute } from './routes.js';
import { verifyApiRequest } from './verify.js';

/** Large enough for 10 events of 10 KB each with JSON escaping, small enough to refuse floods. */
const MAX_API_BODY_BYTES = 256 * 1024;
const PREFIX = '/apps/';

function respond(res: ServerResponse, status: number, body: string, contentType: string, close = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string | number> = {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    // An API answer is never a page to sniff, nor anything to keep.
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (close) headers.Connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

function decodeSegments(path: string): string[] {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw badRequest('Invalid percent-encoding in the path');
  }
}

async function serve(ctx: EmbeddedContext, req: IncomingMessage, res: ServerResponse): Promise<string> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
  const [appId = '', ...segments] = decodeSegments(path.slice(PREFIX.length));
  if (appId !== ctx.app.appId) throw new ApiError(404, `Unknown app id: ${appId.slice(0, 100)}`);
  const method = req.method ?? 'GET';
  const route = findRoute(method, segments);
  const body = await readBody(req, MAX_API_BODY_BYTES);
  const params = verifyApiRequest(ctx.app, { method, path, rawQuery, body }, ctx.clock());
  respond(res, 200, JSON.stringify(route.handle(ctx, { params, body, segments })), 'application/json');
  return route.name;
}

/** Returns false, touching nothing, for paths outside `/apps/`. */
export function createHttpApi(ctx: EmbeddedContext): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (!(req.url ?? '').startsWith(PREFIX)) return false;
    const method = req.method ?? 'GET';
    serve(ctx, req, res).then(
      (route) => ctx.hooks.onApiRequest({ method, route, status: 200 }),
      (err: unknown) => {
        if (err instanceof ApiError) {
          // An unread body would be taken for the next request: close the connection after a 413.
          respond(res, err.status, err.message, 'text/plain; charset=utf-8', err.status === 413);
          ctx.hooks.onApiRequest({ method, route: 'refused', status: err.status });
          return;
        }
        ctx.logger.error({ err, method }, 'embedded server: unexpected error in the HTTP API');
        respond(res, 500, 'Internal server error', 'text/plain; charset=utf-8');
        ctx.hooks.onApiRequest({ method, route: 'error', status: 500 });
      },
    );
    return true;
  };
}

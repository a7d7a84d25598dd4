/** The route table of the HTTP API under `/apps/:appId`. */
import type { EmbeddedContext } from '../context.js';
import { PusherProtocolError } from '../protocol/codes.js';
import { sendProtocolError } from '../socket/session.js';
import { isPresenceUserId, PRESENCE_USER_ID_RULE } from '../state/presence.js';
import { channelInfo, channelUsers, listChannels } from './channels.js';
import { badRequest, ApiError } from './errors.js';
import { triggerBatch, triggerEvents } from './events.js';

interface RouteInput {
  readonly params: Map<string, string>;
  readonly body: Buffer;
  /** Decoded path segments after `/apps/:appId/`. */
  readonly segments: readonly string[];
}

interface Route {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly pattern: readonly (string | null)[];
  readonly handle: (ctx: EmbeddedContext, input: RouteInput) => object;
}

/** Closes every signed-in connection of the user with 4009; presence-only "users" are untouched. */
function terminateConnections(ctx: EmbeddedContext, userId: string): object {
  if (!isPresenceUserId(userId)) throw badRequest(`Invalid user id: ${PRESENCE_USER_ID_RULE}`);
  for (const connection of ctx.registry.connectionsOf(userId)) {
    sendProtocolError(ctx, connection, new PusherProtocolError('unauthorized', 'You got disconnected by the app.'));
  }
  return {};
}

const at = (segments: readonly string[], index: number): string => segments[index] ?? '';

const ROUTES: readonly Route[] = [
  { name: 'events', method: 'POST', pattern: ['events'], handle: (ctx, { body }) => triggerEvents(ctx, body) },
  { name: 'batch_events', method: 'POST', pattern: ['batch_events'], handle: (ctx, { body }) => triggerBatch(ctx, body) },
  { name: 'channels', method: 'GET', pattern: ['channels'], handle: (ctx, { params }) => listChannels(ctx, params) },
  { name: 'channel', method: 'GET', pattern: ['channels', null], handle: (ctx, i) => channelInfo(ctx, at(i.segments, 1), i.params) },
  { name: 'channel_users', method: 'GET', pattern: ['channels', null, 'users'], handle: (ctx, i) => channelUsers(ctx, at(i.segments, 1)) },
  {
    name: 'terminate_connections',
    method: 'POST',
    pattern: ['users', null, 'terminate_connections'],
    handle: (ctx, i) => terminateConnections(ctx, at(i.segments, 1)),
  },
];

function matches(route: Route, segments: readonly string[]): boolean {
  return route.pattern.length === segments.length && route.pattern.every((part, i) => part === null || part === segments[i]);
}

/** The route for the method and segments: 404 when no path matches, 405 when only the method is wrong. */
export function findRoute(method: string, segments: readonly string[]): Route {
  const candidates = ROUTES.filter((route) => matches(route, segments));
  const route = candidates.find((candidate) => candidate.method === method);
  if (route) return route;
  if (candidates.length > 0) throw new ApiError(405, `Method ${method} not allowed here`);
  throw new ApiError(404, 'Not found');
}

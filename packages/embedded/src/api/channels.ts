/** `GET /channels`, `GET /channels/:name`, `GET /channels/:name/users` (docs/protocol.md#http-api). */
import { channelKind, SERVER_TO_USER_PREFIX } from '@pusher-auth-server/pusher-core';
import type { EmbeddedContext } from '../context.js';
import { badRequest } from './errors.js';
import { isAppChannel, parseInfo } from './events.js';

function checkedChannel(name: string): string {
  if (!isAppChannel(name)) throw badRequest(`Invalid channel name: ${JSON.stringify(name.slice(0, 200))}`);
  return name;
}

/** Occupied channels, `#server-to-user-` ones left out; `info=user_count` only with a `presence-` prefix. */
export function listChannels(ctx: EmbeddedContext, params: Map<string, string>): object {
  const prefix = params.get('filter_by_prefix') ?? '';
  const info = parseInfo(params.get('info'), ['user_count']);
  if (info.includes('user_count') && !prefix.startsWith('presence-')) {
    throw badRequest('info=user_count is only allowed with filter_by_prefix=presence-');
  }
  const entries: Array<[string, Record<string, number>]> = [];
  for (const name of ctx.registry.channelNames()) {
    if (!name.startsWith(prefix) || name.startsWith(SERVER_TO_USER_PREFIX)) continue;
    entries.push([name, info.includes('user_count') ? { user_count: ctx.registry.userCount(name) } : {}]);
  }
  // fromEntries defines own properties, so a channel named `__proto__` is listed like any other.
  return { channels: Object.fromEntries(entries) };
}

export function channelInfo(ctx: EmbeddedContext, name: string, params: Map<string, string>): object {
  const channel = checkedChannel(name);
  const info = parseInfo(params.get('info'), ['user_count', 'subscription_count']);
  const presence = channelKind(channel) === 'presence';
  if (info.includes('user_count') && !presence) throw badRequest('info=user_count is only allowed for presence channels');
  const result: Record<string, boolean | number> = { occupied: ctx.registry.subscriptionCount(channel) > 0 };
  if (info.includes('user_count')) result.user_count = ctx.registry.userCount(channel);
  if (info.includes('subscription_count')) result.subscription_count = ctx.registry.subscriptionCount(channel);
  return result;
}

export function channelUsers(ctx: EmbeddedContext, name: string): object {
  const channel = checkedChannel(name);
  if (channelKind(channel) !== 'presence') throw badRequest('Users can only be listed for presence channels');
  const ids = ctx.registry.roster(channel)?.userIds() ?? [];
  return { users: ids.map((id) => ({ id })) };
}

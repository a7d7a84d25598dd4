/**
 * `POST /events` and `POST /batch_events`: validate every event first (400, then 413), then
 * publish, encoding each event once per channel and sending the same buffer to every subscriber.
 */
import {
  channelKind,
  EVENT_DATA_MAX_BYTES,
  eventNameProblem,
  exceedsJsonDepth,
  isJsonObject,
  isPublishableChannel,
  isValidSocketId,
  MAX_BATCH_EVENTS,
  MAX_CHANNELS_PER_EVENT,
  MAX_JSON_DEPTH,
  SOCKET_ID_RULE,
} from '@pusher-auth-server/pusher-core';
import type { EmbeddedContext } from '../context.js';
import { encodeChannelEvent } from '../protocol/codec.js';
import { TextFrame } from '../protocol/frame.js';
import { isPresenceUserId } from '../state/presence.js';
import { parseBodyObject } from './body.js';
import { badRequest, tooLarge } from './errors.js';


type InfoAttribute = 'user_count' | 'subscription_count';

interface EventToPublish {
  readonly name: string;
  readonly data: string;
  readonly channels: readonly string[];
  readonly socketId: string | undefined;
  readonly info: readonly InfoAttribute[];
}

/** Names an app may publish to (docs/protocol.md#user-authentication), with any other server's user ids in `#server-to-user-<id>`. */
export const isAppChannel = (name: string): boolean => isPublishableChannel(name, isPresenceUserId);

export function parseInfo(info: unknown, allowed: readonly InfoAttribute[]): InfoAttribute[] {
  if (info === undefined || info === '') return [];
  if (typeof info !== 'string') throw badRequest('info must be a comma-separated string');
  const attributes = info.split(',').map((part) => part.trim());
  for (const attribute of attributes) {
    if (!(allowed as readonly string[]).includes(attribute)) throw badRequest(`Unsupported info attribute: ${attribute.slice(0, 50)}`);
  }
  return attributes as InfoAttribute[];
}

/** A client value quoted in a message, as JSON unless it nests too deep to serialize safely. */
function describe(value: unknown): string {
  return exceedsJsonDepth(value) ? `a value nested over ${MAX_JSON_DEPTH} levels deep` : String(JSON.stringify(value)?.slice(0, 200));
}

function parseEvent(record: Record<string, unknown>, where: string, batch: boolean): EventToPublish {
  const { name, data, socket_id: socketId } = record;
  if (typeof name !== 'string') throw badRequest(`${where}name must be a string`);
  const nameProblem = eventNameProblem(name);
  if (nameProblem) throw badRequest(`${where}name ${nameProblem}`);
  if (data === undefined) throw badRequest(`${where}data is required`);
  if (exceedsJsonDepth(data)) throw badRequest(`${where}data nests more than ${MAX_JSON_DEPTH} levels deep`);
  const channels = batch ? [record.channel] : (record.channels ?? (record.channel === undefined ? undefined : [record.channel]));
  if (!Array.isArray(channels) || channels.length === 0) throw badRequest(`${where}${batch ? 'channel' : 'channels (or channel)'} is required`);
  if (channels.length > MAX_CHANNELS_PER_EVENT) throw badRequest(`${where}at most ${MAX_CHANNELS_PER_EVENT} channels per event`);
  for (const channel of channels) {
    if (typeof channel !== 'string' || !isAppChannel(channel)) throw badRequest(`${where}invalid channel name: ${describe(channel)}`);
  }
  if (socketId !== undefined && !isValidSocketId(socketId)) throw badRequest(`${where}socket_id ${SOCKET_ID_RULE}`);
  return {
    name,
    data: typeof data === 'string' ? data : JSON.stringify(data),
    channels: [...new Set(channels as string[])],
    socketId,
    info: parseInfo(record.info, ['user_count', 'subscription_count']),
  };
}

/** After every event passed the 400 rules, so a request's refusal does not depend on event order. */
function assertDataSizes(events: readonly EventToPublish[], where: (index: number) => string): void {
  events.forEach((event, index) => {
    const size = Buffer.byteLength(event.data);
    if (size > EVENT_DATA_MAX_BYTES) throw tooLarge(`${where(index)}data is ${size} bytes; the limit is ${EVENT_DATA_MAX_BYTES}`);
  });
}

function channelAttributes(ctx: EmbeddedContext, channel: string, info: readonly InfoAttribute[]): Record<string, number> {
  const attributes: Record<string, number> = {};
  if (info.includes('user_count') && channelKind(channel) === 'presence') attributes.user_count = ctx.registry.userCount(channel);
  if (info.includes('subscription_count')) attributes.subscription_count = ctx.registry.subscriptionCount(channel);
  return attributes;
}

function publish(ctx: EmbeddedContext, event: EventToPublish): void {
  for (const channel of event.channels) {
    const frame = TextFrame.of(encodeChannelEvent({ event: event.name, channel, data: event.data }));
    ctx.hooks.onMessageOut(ctx.registry.publish(channel, frame, event.socketId));
  }
}

export function triggerEvents(ctx: EmbeddedContext, body: Buffer): object {
  const event = parseEvent(parseBodyObject(body), '', false);
  assertDataSizes([event], () => '');
  publish(ctx, event);
  if (event.info.length === 0) return {};
  return { channels: Object.fromEntries(event.channels.map((channel) => [channel, channelAttributes(ctx, channel, event.info)])) };
}

const batchWhere = (index: number) => `batch[${index}]: `;

export function triggerBatch(ctx: EmbeddedContext, body: Buffer): object {
  const { batch } = parseBodyObject(body);
  if (!Array.isArray(batch) || batch.length === 0) throw badRequest('batch must be a non-empty array of events');
  if (batch.length > MAX_BATCH_EVENTS) throw badRequest(`batch is limited to ${MAX_BATCH_EVENTS} events`);
  const events = batch.map((item: unknown, index) => {
    if (!isJsonObject(item)) throw badRequest(`batch[${index}]: must be an object`);
    return parseEvent(item, batchWhere(index), true);
  });
  assertDataSizes(events, batchWhere);
  for (const event of events) publish(ctx, event);
  if (events.every((event) => event.info.length === 0)) return {};
  return { batch: events.map((event) => channelAttributes(ctx, event.channels[0] ?? '', event.info)) };
}

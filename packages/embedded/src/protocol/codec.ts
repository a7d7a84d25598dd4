/**
 * The protocol-7 codec: typed client and server messages. Server `data` is always sent as a string
 * (docs/protocol.md#double-encoding): JSON-serialized for `pusher:`/`pusher_internal:` events, verbatim for app and
 * client events.
 */
import { isJsonObject, parseJsonObject, readJsonObject } from '@pusher-auth-server/pusher-core';
import { PusherProtocolError } from './codes.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface SubscribeData {
  channel: string;
  auth?: string;
  /** The exact bytes the client sent; never re-serialized. */
  channel_data?: string;
}

export type ClientMessage =
  | { event: 'pusher:ping' }
  | { event: 'pusher:pong' }
  | { event: 'pusher:subscribe'; data: SubscribeData }
  | { event: 'pusher:unsubscribe'; data: { channel: string } }
  | { event: 'pusher:signin'; data: { auth: string; user_data: string } }
  | { event: `client-${string}`; channel: string; data: JsonValue | undefined };

export interface PresenceSnapshot {
  ids: string[];
  hash: Record<string, JsonValue>;
  count: number;
}

export type ProtocolMessage =
  | { event: 'pusher:connection_established'; data: { socket_id: string; activity_timeout: number } }
  | { event: 'pusher:error'; data: { code: number | null; message: string } }
  | { event: 'pusher:ping' | 'pusher:pong'; data: Record<string, never> }
  | { event: 'pusher:signin_success'; data: { user_data: string } }
  | {
      event: 'pusher_internal:subscription_succeeded';
      channel: string;
      data: Record<string, never> | { presence: PresenceSnapshot };
    }
  | { event: 'pusher_internal:member_added'; channel: string; data: { user_id: string; user_info?: JsonValue } }
  | { event: 'pusher_internal:member_removed'; channel: string; data: { user_id: string } };

/** An app event (HTTP API) or a client event, as delivered: `data` is the string published. */
interface ChannelEvent {
  event: string;
  channel: string;
  data: string;
  user_id?: string;
}

function invalid(message: string): PusherProtocolError {
  return new PusherProtocolError('invalid_message', message);
}

/** Clients should send `pusher:*` data as an object; a JSON string is tolerated. */
function objectData(event: string, raw: unknown): Record<string, unknown> {
  const data = typeof raw === 'string' ? parseJsonObject(raw) : raw;
  if (!isJsonObject(data)) throw invalid(`Invalid data for ${event}: expected an object`);
  return data;
}

function requiredString(event: string, data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== 'string') throw invalid(`Invalid data for ${event}: "${field}" must be a string`);
  return value;
}

function optionalString(event: string, data: Record<string, unknown>, field: string): string | undefined {
  return data[field] === undefined ? undefined : requiredString(event, data, field);
}

function decodeSubscribe(raw: unknown): SubscribeData {
  const data = objectData('pusher:subscribe', raw);
  const out: SubscribeData = { channel: requiredString('pusher:subscribe', data, 'channel') };
  const auth = optionalString('pusher:subscribe', data, 'auth');
  const channelData = optionalString('pusher:subscribe', data, 'channel_data');
  if (auth !== undefined) out.auth = auth;
  if (channelData !== undefined) out.channel_data = channelData;
  return out;
}

/** Parses one text frame. Throws `PusherProtocolError('invalid_message')` for anything else. */
export function decodeClientMessage(text: string): ClientMessage {
  const parsed = readJsonObject(text);
  if (parsed === 'invalid-json') throw invalid('Invalid JSON: every message must be a JSON object with an "event" field');
  if (parsed === 'not-an-object' || typeof parsed.event !== 'string') {
    throw invalid('Invalid message: every message must be a JSON object with an "event" field');
  }
  const event = parsed.event;
  switch (event) {
    case 'pusher:ping':
    case 'pusher:pong':
      return { event };
    case 'pusher:subscribe':
      return { event, data: decodeSubscribe(parsed.data) };
    case 'pusher:unsubscribe':
      return { event, data: { channel: requiredString(event, objectData(event, parsed.data), 'channel') } };
    case 'pusher:signin': {
      const data = objectData(event, parsed.data);
      return { event, data: { auth: requiredString(event, data, 'auth'), user_data: requiredString(event, data, 'user_data') } };
    }
  }
  if (event.startsWith('client-')) {
    if (typeof parsed.channel !== 'string') throw invalid(`Invalid client event ${event}: "channel" must be a string`);
    return { event: event as `client-${string}`, channel: parsed.channel, data: parsed.data as JsonValue | undefined };
  }
  throw invalid(`Unsupported event received: ${event.slice(0, 200)}`);
}

/** The one way a `pusher:error` is built; `code` is `null` for problems that are not close codes. */
export function errorEvent(code: number | null, message: string): ProtocolMessage {
  return { event: 'pusher:error', data: { code, message } };
}

export function encodeProtocolMessage(message: ProtocolMessage): string {
  const data = JSON.stringify(message.data);
  return 'channel' in message
    ? JSON.stringify({ event: message.event, channel: message.channel, data })
    : JSON.stringify({ event: message.event, data });
}

/** A `pusher_internal:subscription_succeeded` whose data is already JSON (a presence roster's `dataJson()`). */
export function encodeSubscriptionSucceeded(channel: string, dataJson: string): string {
  return JSON.stringify({ event: 'pusher_internal:subscription_succeeded', channel, data: dataJson });
}

export function encodeChannelEvent(message: ChannelEvent): string {
  const frame: ChannelEvent = { event: message.event, channel: message.channel, data: message.data };
  if (message.user_id !== undefined) frame.user_id = message.user_id;
  return JSON.stringify(frame);
}

/** A client event's `data` as the string other subscribers receive: strings as they are, the rest as JSON. */
export function clientEventDataString(data: JsonValue | undefined): string {
  if (typeof data === 'string') return data;
  return data === undefined ? '' : JSON.stringify(data);
}

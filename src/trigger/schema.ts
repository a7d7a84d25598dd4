/** The body rules of /trigger, /trigger/batch and /users/:userId/events (docs/design.md#routes, docs/design.md#sizes), and the `data` size rule. */
import { z } from 'zod';
import { HttpError } from '../errors.js';
import type { FieldProblem } from '@pusher-auth-server/channel-auth/http';
import { eventNameProblem, EVENT_DATA_MAX_BYTES as DATA_MAX_BYTES, MAX_BATCH_EVENTS, MAX_CHANNELS_PER_EVENT as MAX_CHANNELS } from '@pusher-auth-server/pusher-core';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '@pusher-auth-server/pusher-core';
import { CHANNEL_NAME_RULE, channelKind, isValidChannelName, isValidSocketId, SOCKET_ID_RULE } from '@pusher-auth-server/pusher-core';

const isEncrypted = (channel: string) => channelKind(channel) === 'private-encrypted';

const channelName = z
  .string({ error: 'must be a string' })
  .refine(isValidChannelName, { error: CHANNEL_NAME_RULE });

export const eventName = z.string({ error: 'is required, as a string' }).superRefine((name, ctx) => {
  const problem = eventNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const socketId = z
  .string({ error: 'must be a string' })
  .refine(isValidSocketId, { error: SOCKET_ID_RULE });

/** Serializing deeper client JSON would overflow the stack (packages/pusher-core/src/json.ts). */
export const DEPTH_PROBLEM = `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;

// Any JSON value, null included, but present: Pusher's API has no event without data.
const data = z
  .unknown()
  .refine((value) => value !== undefined, { error: 'is required (any JSON value)' })
  .refine((value) => !exceedsJsonDepth(value), { error: DEPTH_PROBLEM });

export interface TriggerRules {
  /** Whether a master key is configured; without one, encrypted channels are refused. */
  readonly encryption: boolean;
}

/** Messages for the object itself: not an object, or a key nobody reads (a typo, Pusher's own `name`). */
function objectError(fields: string) {
  return (issue: { code?: string; keys?: readonly string[] }) =>
    issue.code === 'unrecognized_keys'
      ? `unknown field ${(issue.keys ?? []).join(', ')}: the fields are ${fields}`
      : issue.code === 'invalid_type'
        ? 'must be a JSON object'
        : undefined;
}

const NO_MASTER_KEY = 'is private-encrypted, but this server has no PUSHER_ENCRYPTION_MASTER_KEY_BASE64';

export function triggerSchema({ encryption }: TriggerRules) {
  return z
    .strictObject(
      {
        channel: channelName.optional(),
        channels: z
          .array(channelName, { error: 'must be an array of channel names' })
          .min(1, { error: 'must name at least one channel' })
          .max(MAX_CHANNELS, { error: `must name at most ${MAX_CHANNELS} channels` })
          .optional(),
        event: eventName,
        data,
        socket_id: socketId.optional(),
      },
      { error: objectError('channel or channels, event, data, socket_id') },
    )
    // Checked even when other fields failed, so one answer lists every problem.
    .refine((body) => (body.channel === undefined) !== (body.channels === undefined), {
      path: ['channel'],
      error: 'give exactly one of channel or channels',
      when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
    })
    .superRefine((body, ctx) => {
      // May run after other fields failed: `channel` can then be missing or not a string.
      const channels: unknown[] = body.channels ?? [body.channel];
      const encrypted = channels.findIndex((name) => typeof name === 'string' && isEncrypted(name));
      if (encrypted === -1) return;
      const path = body.channels ? ['channels', encrypted] : ['channel'];
      if (channels.length > 1) {
        ctx.addIssue({ code: 'custom', path, message: 'is private-encrypted: publish to it alone, in its own trigger' });
      } else if (!encryption) {
        ctx.addIssue({ code: 'custom', path, message: NO_MASTER_KEY });
      }
    })
    .transform(({ channel, channels, event, data, socket_id }) => ({
      channels: channels ?? [channel as string],
      event,
      data,
      ...(socket_id === undefined ? {} : { socketId: socket_id }),
    }));
}

/** POST /users/:userId/events: one event for one user, by the same event and data rules. */
export const userEventSchema = z
  .strictObject({ event: eventName, data }, { error: objectError('event, data') })
  .transform(({ event, data }) => ({ event, data }));

export function batchSchema({ encryption }: TriggerRules) {
  const item = z
    .strictObject(
      { channel: channelName, event: eventName, data, socket_id: socketId.optional() },
      { error: objectError('channel, event, data, socket_id') },
    )
    .superRefine((entry, ctx) => {
      if (!encryption && isEncrypted(entry.channel)) ctx.addIssue({ code: 'custom', path: ['channel'], message: NO_MASTER_KEY });
    })
    .transform(({ channel, event, data, socket_id }) => ({
      channel,
      event,
      data,
      ...(socket_id === undefined ? {} : { socketId: socket_id }),
    }));
  return z.strictObject(
    {
      batch: z
        .array(item, { error: 'must be an array of events' })
        .min(1, { error: 'must hold at least one event' })
        .max(MAX_BATCH_EVENTS, { error: `must hold at most ${MAX_BATCH_EVENTS} events` }),
    },
    { error: objectError('batch') },
  );
}

/**
 * Bytes of the `data` string the HTTP API will carry (docs/design.md#sizes): a string as it is, anything else
 * JSON-serialized; on an encrypted channel, the `{"nonce","ciphertext"}` envelope the SDK sends.
 */
export function dataBytes(channel: string, value: unknown): number {
  if (!isEncrypted(channel)) return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value));
  // The SDK seals JSON.stringify(data) (strings too) with a 16-byte tag, and base64s it with a 24-byte nonce.
  const sealed = Buffer.byteLength(JSON.stringify(value)) + 16;
  const base64 = (bytes: number) => 4 * Math.ceil(bytes / 3);
  return '{"nonce":"","ciphertext":""}'.length + base64(24) + base64(sealed);
}

/** 413 once the body rules passed: each `data` at most 10,240 bytes. */
export function assertDataSize(entries: ReadonlyArray<{ field: string; channel: string; data: unknown }>): void {
  const problems: FieldProblem[] = [];
  for (const { field, channel, data: value } of entries) {
    const bytes = dataBytes(channel, value);
    if (bytes > DATA_MAX_BYTES) {
      problems.push({ field, problem: `is ${bytes} bytes once serialized; at most ${DATA_MAX_BYTES} are allowed` });
    }
  }
  if (problems.length > 0) {
    throw new HttpError('payload_too_large', `The event data is over ${DATA_MAX_BYTES} bytes.`, problems);
  }
}

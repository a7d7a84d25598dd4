/**
 * What an auth request's body asks for: one socket id and one channel, or a batch of channels in
 * the pusher-js-auth plugin's form (`channel_name[0]=a&channel_name[1]=b`). Bodies parsed by us
 * keep those keys literally (and a repeated `channel_name` is an array: not a string, a 400). An
 * app's own `urlencoded({ extended: true })` parser, mounted before, turns the batch keys into an
 * array (or, past its array limit, an object keyed by index): read from such a body, both are a batch.
 */
import { z } from 'zod';
import { invalidRequest, validate } from './validate.js';
import { MAX_BATCH_CHANNELS, socketIdSchema } from '../requests.js';

const BATCH_KEY = /^channel_name\[(\d+)\]$/;
const INDEX = /^\d+$/;

export interface ChannelAuthRequest {
  readonly socketId: string;
  readonly channels: readonly string[];
  readonly batch: boolean;
}

const singleSchema = z.object({
  socket_id: socketIdSchema,
  channel_name: z.string({ message: 'is required, as a string' }),
});

export interface BodySource {
  /** The body came as `application/x-www-form-urlencoded`, where a batch may be written. */
  readonly form: boolean;
  /** The app's parser read it, not ours. */
  readonly parsedByApp: boolean;
}

export function readChannelAuthRequest(body: unknown, { form, parsedByApp }: BodySource): ChannelAuthRequest {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const batch = form ? batchOf(fields, parsedByApp) : undefined;
  if (batch === undefined) {
    const { socket_id, channel_name } = validate(singleSchema, fields);
    return { socketId: socket_id, channels: [channel_name], batch: false };
  }
  const { socket_id } = validate(z.object({ socket_id: socketIdSchema }), fields);
  if (batch.length > MAX_BATCH_CHANNELS) {
    throw invalidRequest([{ field: 'channel_name', problem: `a batch holds 1..${MAX_BATCH_CHANNELS} channels` }]);
  }
  if (!batch.every((name): name is string => typeof name === 'string')) {
    throw invalidRequest([{ field: 'channel_name', problem: 'each batch entry must be a single string' }]);
  }
  return { socketId: socket_id, channels: batch, batch: true };
}

/** The batch's names in index order, or `undefined` when the body is not a batch. */
function batchOf(fields: Record<string, unknown>, parsedByApp: boolean): unknown[] | undefined {
  const literal = Object.keys(fields).filter((key) => BATCH_KEY.test(key));
  if (literal.length > 0) {
    if ('channel_name' in fields) throw invalidRequest([{ field: 'channel_name', problem: 'send one channel_name or a batch, not both' }]);
    return byIndex(literal.map((key) => [Number(BATCH_KEY.exec(key)?.[1]), fields[key]]));
  }
  const named = fields.channel_name;
  if (!parsedByApp) return undefined;
  if (Array.isArray(named)) return named;
  if (typeof named === 'object' && named !== null) {
    const entries = Object.entries(named);
    if (entries.length > 0 && entries.every(([key]) => INDEX.test(key))) return byIndex(entries.map(([key, name]) => [Number(key), name]));
  }
  return undefined;
}

function byIndex(entries: Array<[number, unknown]>): unknown[] {
  return entries.sort(([a], [b]) => a - b).map(([, name]) => name);
}

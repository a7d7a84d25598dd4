/** What an auth request asks for: one socket id and one channel, or a batch of channels. */
import { z } from 'zod';
import {
  CHANNEL_NAME_MAX_LENGTH,
  channelKind,
  isValidChannelName,
  requiresAuthorization,
  SOCKET_ID_PATTERN,
} from '../pusher/names.js';
import { invalidRequest, validate } from '../http/validate.js';

const MAX_BATCH_CHANNELS = 100;
const BATCH_KEY = /^channel_name\[(\d+)\]$/;

export const socketIdSchema = z
  .string({ message: 'is required, as a string' })
  .regex(SOCKET_ID_PATTERN, { message: 'must look like 1234.5678' });

const singleSchema = z.object({
  socket_id: socketIdSchema,
  channel_name: z.string({ message: 'is required, as a string' }),
});

export interface ChannelAuthRequest {
  readonly socketId: string;
  readonly channels: readonly string[];
  /** The pusher-js-auth plugin's form (`channel_name[0]=a&channel_name[1]=b`). */
  readonly batch: boolean;
}

/** Why this name cannot be authorized, or `undefined` when it can be. */
export function channelNameProblem(name: string): string | undefined {
  if (!isValidChannelName(name)) {
    return `must be 1..${CHANNEL_NAME_MAX_LENGTH} characters of A-Z a-z 0-9 _ - = @ , . ;`;
  }
  if (!requiresAuthorization(channelKind(name))) {
    return 'must start with private-, presence- or private-encrypted-: other channels need no authorization';
  }
  return undefined;
}

export function readChannelAuthRequest(body: unknown): ChannelAuthRequest {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const batchKeys = Object.keys(fields).filter((key) => BATCH_KEY.test(key));
  if (batchKeys.length === 0) {
    const { socket_id, channel_name } = validate(singleSchema, fields);
    const problem = channelNameProblem(channel_name);
    if (problem) throw invalidRequest([{ field: 'channel_name', problem }]);
    return { socketId: socket_id, channels: [channel_name], batch: false };
  }
  const { socket_id } = validate(z.object({ socket_id: socketIdSchema }), fields);
  if (batchKeys.length > MAX_BATCH_CHANNELS || 'channel_name' in fields) {
    throw invalidRequest([{ field: 'channel_name', problem: `a batch holds 1..${MAX_BATCH_CHANNELS} channels` }]);
  }
  const ordered = batchKeys.sort((a, b) => index(a) - index(b)).map((key) => fields[key]);
  if (!ordered.every((name): name is string => typeof name === 'string')) {
    throw invalidRequest([{ field: 'channel_name', problem: 'each batch entry must be a single string' }]);
  }
  // Input rules come before identity (DESIGN 9.2): a batch with no valid name is a 400 as a whole.
  if (ordered.every((name) => channelNameProblem(name) !== undefined)) {
    throw invalidRequest([{ field: 'channel_name', problem: 'no channel of the batch can be authorized' }]);
  }
  return { socketId: socket_id, channels: [...new Set(ordered)], batch: true };
}

const index = (key: string) => Number(BATCH_KEY.exec(key)?.[1]);

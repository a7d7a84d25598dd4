/** The input rules every way in applies the same: socket ids, channel names, batches. */
import {
  CHANNEL_NAME_RULE,
  channelKind,
  isValidChannelName,
  requiresAuthorization,
  SOCKET_ID_PATTERN,
  SOCKET_ID_RULE,
} from '@pusher-auth-server/pusher-core';
import { z } from 'zod';
import type { HttpError } from './http/errors.js';
import { invalidRequest } from './http/validate.js';

export const MAX_BATCH_CHANNELS = 100;

export const socketIdSchema = z.string({ message: 'is required, as a string' }).regex(SOCKET_ID_PATTERN, { message: SOCKET_ID_RULE });

/** Why this socket id cannot be signed for, or `undefined` when it can be. */
export function socketIdProblem(socketId: unknown): string | undefined {
  if (typeof socketId !== 'string') return 'is required, as a string';
  return SOCKET_ID_PATTERN.test(socketId) ? undefined : SOCKET_ID_RULE;
}

/** Why this name cannot be authorized, or `undefined` when it can be. */
export function channelNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'is required, as a string';
  if (!isValidChannelName(name)) return CHANNEL_NAME_RULE;
  if (!requiresAuthorization(channelKind(name))) {
    return 'must start with private-, presence- or private-encrypted-: other channels need no authorization';
  }
  return undefined;
}

/**
 * The 400 a channel request earns before anyone is identified, if any. A single bad name refuses
 * the request; a batch is refused whole only when none of its names can be authorized (each bad
 * one is refused in its own entry).
 */
export function channelRequestProblem(socketId: unknown, channels: readonly unknown[], batch: boolean): HttpError | undefined {
  const socketProblem = socketIdProblem(socketId);
  if (socketProblem) return invalidRequest([{ field: 'socket_id', problem: socketProblem }]);
  if (!batch) {
    const problem = channelNameProblem(channels[0]);
    return problem ? invalidRequest([{ field: 'channel_name', problem }]) : undefined;
  }
  if (channels.length === 0 || channels.length > MAX_BATCH_CHANNELS) {
    return invalidRequest([{ field: 'channel_name', problem: `a batch holds 1..${MAX_BATCH_CHANNELS} channels` }]);
  }
  if (channels.every((name) => channelNameProblem(name) !== undefined)) {
    return invalidRequest([{ field: 'channel_name', problem: 'no channel of the batch can be authorized' }]);
  }
  return undefined;
}

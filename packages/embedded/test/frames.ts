/** Exact server frames and client signatures, built independently of the code under test's encoder. */
import { authString, channelStringToSign } from '@pusher-auth-server/pusher-core';
import { TEST_APP } from './helpers.js';

export const errorFrame = (code: number | null, message: string): string =>
  JSON.stringify({ event: 'pusher:error', data: JSON.stringify({ code, message }) });

export const succeeded = (channel: string, data: object = {}): string =>
  JSON.stringify({ event: 'pusher_internal:subscription_succeeded', channel, data: JSON.stringify(data) });

/** The auth a correct auth server gives `socketId` for `channel` (and `channelData` when sent). */
export const sign = (socketId: string, channel: string, channelData?: string): string =>
  authString(TEST_APP, channelStringToSign(socketId, channel, channelData));

/** `pusher:signin` (docs/protocol.md#user-authentication): a failure is `pusher:error` 4009 and a close with 4009. */
import {
  exceedsJsonDepth,
  MAX_JSON_DEPTH,
  readJsonObject,
  userStringToSign,
  verifyAuthString,
} from '@pusher-auth-server/pusher-core';
import type { EmbeddedContext } from '../context.js';
import { PusherProtocolError } from '../protocol/codes.js';
import type { JsonValue } from '../protocol/codec.js';
import { isPresenceUserId, PRESENCE_USER_ID_RULE } from '../state/presence.js';
import type { Connection, SignedInUser } from './connection.js';

function failed(reason: string): PusherProtocolError {
  return new PusherProtocolError('unauthorized', `Sign-in failed: ${reason}`);
}

function parseUserData(userData: string): SignedInUser {
  const parsed = readJsonObject(userData);
  if (parsed === 'invalid-json') throw failed('user_data is not JSON');
  if (parsed === 'not-an-object') throw failed('user_data must be a JSON object');
  const record = parsed as Record<string, JsonValue>;
  const id = record.id;
  if (typeof id !== 'string' || !isPresenceUserId(id)) throw failed(`user_data.id must be a string of ${PRESENCE_USER_ID_RULE}`);
  // The user_info is re-serialized into presence frames later: refuse what would overflow then.
  if (exceedsJsonDepth(record.user_info)) throw failed(`user_data.user_info nests more than ${MAX_JSON_DEPTH} levels deep`);
  return record.user_info === undefined ? { id } : { id, userInfo: record.user_info };
}

export function handleSignin(ctx: EmbeddedContext, connection: Connection, data: { auth: string; user_data: string }): void {
  const stringToSign = userStringToSign(connection.socketId, data.user_data);
  if (!verifyAuthString(ctx.app, stringToSign, data.auth)) {
    throw failed(`invalid signature: expected HMAC SHA256 hex digest of ${stringToSign}`);
  }
  const user = parseUserData(data.user_data);
  if (connection.user && connection.user.id !== user.id) {
    throw failed(`the connection is already signed in as another user`);
  }
  if (!connection.user) ctx.registry.signIn(user.id, connection);
  connection.user = user;
  connection.deliver({ event: 'pusher:signin_success', data: { user_data: data.user_data } });
}

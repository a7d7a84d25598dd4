/** Signing goes through the official `pusher` SDK, so the answers are exactly what Pusher expects. */
import Pusher from 'pusher';
import type { PresenceChannelData } from './policy/join.js';
import type { UserInfo } from './policy/user.js';

/** Your app's credentials, or an instance of the `pusher` SDK you already have. */
export type SigningOptions =
  | {
      readonly appId: string;
      readonly key: string;
      readonly secret: string;
      /** 32 bytes, base64: enables `private-encrypted-*` channels. */
      readonly encryptionMasterKeyBase64?: string;
      readonly pusher?: undefined;
    }
  | { readonly pusher: Pusher };

/** Signs what the policy allowed; it decides nothing. */
export interface Signer {
  readonly encryptionEnabled: boolean;
  signChannel(socketId: string, channel: string, member?: PresenceChannelData): Pusher.ChannelAuthResponse;
  signUser(socketId: string, user: { id: string; user_info?: UserInfo }): Pusher.UserAuthResponse;
}

export function createSigner(options: SigningOptions): Signer {
  const sdk = options.pusher ?? fromCredentials(options);
  // The SDK keeps its master key in its config; it is only ever read to know whether there is one.
  const config = (sdk as unknown as { config?: { encryptionMasterKey?: unknown } }).config;
  return {
    encryptionEnabled: config?.encryptionMasterKey !== undefined,
    signChannel: (socketId, channel, member) => sdk.authorizeChannel(socketId, channel, member ? { ...member } : undefined),
    signUser: (socketId, user) => sdk.authenticateUser(socketId, { ...user }),
  };
}

function fromCredentials(options: Exclude<SigningOptions, { pusher: Pusher }>): Pusher {
  const { appId, key, secret, encryptionMasterKeyBase64 } = options;
  for (const [name, value] of Object.entries({ appId, key, secret })) {
    if (typeof value !== 'string' || value === '') throw new TypeError(`${name} is required (or pass pusher: an instance of the pusher SDK).`);
  }
  // Signing is local: this client never makes a request, so it needs no real host.
  return new Pusher({
    appId,
    key,
    secret,
    host: '127.0.0.1',
    ...(encryptionMasterKeyBase64 === undefined ? {} : { encryptionMasterKeyBase64 }),
  });
}

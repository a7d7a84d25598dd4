/** What the one-process server does during a reconnect storm, as concerns for lib/profile-concerns.ts (first match wins). */
import type { Concern } from './profile-concerns.js';

const EMBEDDED_MESSAGE = /packages\/embedded\/src\/socket\/(session|subscribe)\.ts|ws\/lib\/receiver\.js/;

export const STORM_CONCERNS: readonly Concern[] = [
  { label: 'the profiler itself (left out)', frames: [/profile-window\.ts|node:inspector/], excluded: true },
  { label: 'GC', frames: [/\(garbage collector\)/] },
  { label: 'WS: member_added to the other members (one write per member)', frames: [/embedded\/src\/state\/membership\.ts/, /embedded\/src\/state\/registry\.ts publish$/] },
  { label: 'WS: join, roster, subscription_succeeded', frames: [/embedded\/src\/state\/membership\.ts/] },
  { label: 'WS: writes coalesced within a turn, flushed', frames: [/embedded\/src\/socket\/write-turns\.ts/] },
  { label: 'WS: subscribe signature check (HMAC)', frames: [EMBEDDED_MESSAGE, /pusher-core\/src\/signature\.ts/] },
  { label: 'WS: upgrade and handshake', frames: [/embedded\/src\/socket\/upgrade\.ts|embedded\/src\/index\.ts|completeUpgrade|handleUpgrade/] },
  { label: 'WS: other messages (decode, validate, pong)', frames: [EMBEDDED_MESSAGE] },
  { label: 'auth: JWT verify (HMAC, claims, the memory of verified tokens)', frames: [/node_modules\/jose\/|src\/auth\/(jwt|hs256|verified-tokens)\.ts|hmacSignVerify|node:internal\/crypto\/(mac|webcrypto)/] },
  { label: 'auth: pino logging', frames: [/node_modules\/(pino|sonic-boom)\//] },
  { label: 'auth: signing (pusher SDK HMAC, channel_data JSON)', frames: [/channel-auth\/src\/signer\.ts|node_modules\/pusher\//] },
  { label: 'auth: body parsing (body-parser, qs)', frames: [/node_modules\/(body-parser|raw-body|qs)\//] },
  { label: 'auth: policy and decision log', frames: [/channel-auth\/src\/policy\//] },
  { label: 'auth: writing the answer (res.json, headers, writev)', frames: [/node:_http_outgoing|express\/lib\/response\.js/] },
  { label: 'auth: route code (fast path, identity, core, Express middleware), other', frames: [/node_modules\/(express|router)\/|src\/(auth|http|metrics)\/|channel-auth\/src\//] },
  { label: 'HTTP: parsing, connection setup (node:http)', frames: [/node:_http_(server|common|incoming)/] },
  { label: 'TCP: accept, read, close (node:net)', frames: [/node:net |node:internal\/stream_base_commons/] },
  { label: '(program): V8 and libuv outside JS', frames: [/\(program\)/] },
];

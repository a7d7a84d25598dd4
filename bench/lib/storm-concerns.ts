/** What the one-process server does during a reconnect storm, as concerns for lib/profile-concerns.ts (first match wins). */
import type { Concern } from './profile-concerns.js';

const EMBEDDED_MESSAGE = /src\/embedded\/socket\/(session|subscribe)\.ts|ws\/lib\/receiver\.js/;

export const STORM_CONCERNS: readonly Concern[] = [
  { label: 'the profiler itself (left out)', frames: [/profile-window\.ts|node:inspector/], excluded: true },
  { label: 'GC', frames: [/\(garbage collector\)/] },
  { label: 'WS: member_added to the other members (one write per member)', frames: [/state\/membership\.ts/, /state\/registry\.ts publish$/] },
  { label: 'WS: join, roster, subscription_succeeded', frames: [/state\/membership\.ts/] },
  { label: 'WS: subscribe signature check (HMAC)', frames: [EMBEDDED_MESSAGE, /src\/pusher\/signature\.ts/] },
  { label: 'WS: upgrade and handshake', frames: [/src\/embedded\/socket\/upgrade\.ts|src\/embedded\/index\.ts|completeUpgrade|handleUpgrade/] },
  { label: 'WS: other messages (decode, validate, pong)', frames: [EMBEDDED_MESSAGE] },
  { label: 'auth: JWT verify (jose, WebCrypto HMAC)', frames: [/node_modules\/jose\/|hmacSignVerify|node:internal\/crypto\/(mac|webcrypto)/] },
  { label: 'auth: pino logging', frames: [/node_modules\/(pino|sonic-boom)\//] },
  { label: 'auth: signing (pusher SDK HMAC, channel_data JSON)', frames: [/src\/auth\/signer\.ts|node_modules\/pusher\//] },
  { label: 'auth: body parsing (body-parser, qs)', frames: [/node_modules\/(body-parser|raw-body|qs)\//] },
  { label: 'auth: policy and decision log', frames: [/src\/policy\//] },
  { label: 'auth: writing the answer (res.json, headers, writev)', frames: [/node:_http_outgoing|express\/lib\/response\.js/] },
  { label: 'auth: Express router and middleware, other', frames: [/node_modules\/(express|router)\/|src\/(auth|http|metrics)\//] },
  { label: 'HTTP: parsing, connection setup (node:http)', frames: [/node:_http_(server|common|incoming)/] },
  { label: 'TCP: accept, read, close (node:net)', frames: [/node:net |node:internal\/stream_base_commons/] },
  { label: '(program): V8 and libuv outside JS', frames: [/\(program\)/] },
];

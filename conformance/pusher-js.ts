/**
 * pusher-js, Node build. At runtime the default import is the constructor (the package is
 * CommonJS with `module.exports = Pusher`), while its typings describe an ES module whose
 * `default` is the class; this file reconciles the two in one place.
 */
import pusherJsModule from 'pusher-js';
import type * as PusherJsTypes from 'pusher-js';

export type PusherJs = PusherJsTypes.default;
export type Channel = PusherJsTypes.Channel;
export type PresenceChannel = PusherJsTypes.PresenceChannel;
export type Options = PusherJsTypes.Options;

export const PusherJs = pusherJsModule as unknown as typeof PusherJsTypes.default.default;

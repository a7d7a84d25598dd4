/**
 * Pusher's vocabulary, shared by the channel-auth middleware and the embedded server: socket ids,
 * channel names and kinds, limits, the strings that are signed and how, and safe client JSON.
 * Pure functions: no I/O, no framework.
 */
export * from './names.js';
export * from './limits.js';
export * from './json.js';
export * from './signature.js';
export * from './http-signature.js';
export * from './logger.js';
export * from './listen.js';

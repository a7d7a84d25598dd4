/** CORS for the auth routes: exact origins only, credentials, and the headers auth clients send. */
import cors from 'cors';
import type { RequestHandler } from 'express';

export function corsFor(origins: readonly string[]): RequestHandler[] {
  if (origins.length === 0) return []; // same origin only
  const allowed = new Set(origins);
  return [
    cors({
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-CSRF-TOKEN', 'X-Socket-ID'],
      maxAge: 600,
    }),
  ];
}

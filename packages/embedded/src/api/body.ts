/** Reads a request body up to a limit; over it, a 413 (the rest is discarded, never buffered). */
import type { IncomingMessage } from 'node:http';
import { type JsonObject, readJsonObject } from '@pusher-auth-server/pusher-core';
import { badRequest, tooLarge } from './errors.js';

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume();
      reject(tooLarge(`Request body is over ${limitBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        chunks.length = 0;
        reject(tooLarge(`Request body is over ${limitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(badRequest('Request body could not be read')));
  });
}

/** A JSON object body, or a 400. */
export function parseBodyObject(body: Buffer): JsonObject {
  const parsed = readJsonObject(body.toString('utf8'));
  if (parsed === 'invalid-json') throw badRequest('Request body is not valid JSON');
  if (parsed === 'not-an-object') throw badRequest('Request body must be a JSON object');
  return parsed;
}

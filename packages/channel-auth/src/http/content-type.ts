/** Content-type gate (docs/design.md#content-types): listed types only, charset utf-8 or none; a body needs a type. */
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

export function hasBody(headers: { 'content-length'?: string; 'transfer-encoding'?: string }): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

export function parseContentType(header: string): { type: string; charset: string | undefined } {
  const [type = '', ...parameters] = header.split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([name]) => name?.trim().toLowerCase() === 'charset')?.[1];
  return { type: type.trim().toLowerCase(), charset: charset?.trim().replace(/^"|"$/g, '').toLowerCase() };
}

export function requireContentType(allowed: readonly string[]): RequestHandler {
  const expected = allowed.join(' or ');
  return (req, _res, next) => {
    const header = req.headers['content-type'];
    if (header === undefined) {
      if (!hasBody(req.headers)) return next();
      return next(new HttpError('unsupported_media_type', `Send the body as ${expected}.`));
    }
    const { type, charset } = parseContentType(header);
    if (!allowed.includes(type)) {
      return next(new HttpError('unsupported_media_type', `Send the body as ${expected}.`));
    }
    if (charset !== undefined && charset !== 'utf-8') {
      return next(new HttpError('unsupported_media_type', 'Only utf-8 bodies are accepted.'));
    }
    next();
  };
}

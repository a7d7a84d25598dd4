/** Body parsing in the contract's order: content type (415), then size (413), then syntax (400). */
import express, { type RequestHandler } from 'express';
import { FORM_TYPE, JSON_TYPE, requireContentType } from './content-type.js';

export interface BodyOptions {
  /** e.g. '16kb' */
  readonly limit: string;
  readonly form?: boolean;
}

export function parseBody({ limit, form = false }: BodyOptions): RequestHandler[] {
  const json = express.json({ limit, type: JSON_TYPE, strict: true });
  if (!form) return [requireContentType([JSON_TYPE]), json];
  // extended:false keeps `channel_name[0]` as a literal key; the batch reader interprets it.
  const urlencoded = express.urlencoded({ limit, type: FORM_TYPE, extended: false, parameterLimit: 300 });
  return [requireContentType([FORM_TYPE, JSON_TYPE]), json, urlencoded];
}

/**
 * `nosniff` and `no-store` on every JSON answer (docs/design.md#api-headers), set directly: the auth routes answer
 * before helmet, and helmet's whole set would cost the hot path for two headers.
 */
import type { ServerResponse } from 'node:http';
import { API_ANSWER_HEADERS } from '@pusher-auth-server/channel-auth/http';
import type { Express, Response } from 'express';

function setApiHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(API_ANSWER_HEADERS)) res.setHeader(name, value);
}

/** Every JSON answer of `app`, errors and 404s included, leaves through its `res.json`. */
export function jsonAnswersCarryApiHeaders(app: Express): void {
  const json = app.response.json;
  app.response.json = function jsonWithApiHeaders(this: Response, body?: unknown) {
    setApiHeaders(this);
    return json.call(this, body);
  };
}

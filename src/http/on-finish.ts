/** Tells a listener each answer's status and how long it took, whatever the answer was. */
import type { RequestHandler } from 'express';

export type AnswerListener = (status: number, seconds: number) => void;

export function onFinish(listener: AnswerListener): RequestHandler {
  return (_req, res, next) => {
    const start = performance.now();
    res.once('finish', () => listener(res.statusCode, (performance.now() - start) / 1000));
    next();
  };
}

/** zod at the edge: parse or throw one 400 that lists every field problem (never the values). */
import type { z } from 'zod';
import { HttpError } from './errors.js';

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export function invalidRequest(problems: readonly FieldProblem[]): HttpError {
  const fields = [...new Set(problems.map((p) => p.field))].join(', ');
  return new HttpError('invalid_request', `Invalid request: check ${fields}.`, problems);
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw invalidRequest(
    result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', problem: issue.message })),
  );
}

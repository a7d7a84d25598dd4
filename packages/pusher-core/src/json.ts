/**
 * JSON from clients, read safely: one definition of "a JSON object" and of how deep client JSON
 * may nest. `JSON.stringify` recurses, so a value nested thousands deep overflows the stack when
 * it is re-serialized; every place that serializes client JSON checks the depth first.
 */

/** Deeper than any real event payload or `user_info`; far below what overflows the stack. */
export const MAX_JSON_DEPTH = 64;

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed text when it is a JSON object, `undefined` for invalid JSON or any other value. */
export function parseJsonObject(text: string): JsonObject | undefined {
  const parsed = readJsonObject(text);
  return typeof parsed === 'string' ? undefined : parsed;
}

/**
 * Whether arrays and objects nest more than `maxDepth` levels (a scalar has depth 0, `[]` depth 1).
 * Iterative, so it never overflows the stack itself, and it stops at the first level too deep.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Object.values(item.value)) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth });
    }
  }
  return false;
}

export type JsonObjectProblem = 'invalid-json' | 'not-an-object';

/** Like `parseJsonObject`, for callers whose refusals tell invalid JSON apart from another value. */
export function readJsonObject(text: string): JsonObject | JsonObjectProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return 'invalid-json';
  }
  return isJsonObject(parsed) ? parsed : 'not-an-object';
}

/** Reads an upstream answer's body, but never more than a cap: a service cannot make us hold more. */

/** The body as text, or `undefined` once it is over `maxBytes`, declared (Content-Length) or streamed. */
export async function readCappedText(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  return response.body ? readCappedChunks(response.body, maxBytes) : '';
}

/**
 * The same for any stream of chunks (a fetch body, a `node:http` answer). Leaving the loop early
 * cancels a web stream and destroys a Node one, so the rest is never read.
 */
export async function readCappedChunks(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string | undefined> {
  const kept: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > maxBytes) return undefined;
    kept.push(chunk);
  }
  return Buffer.concat(kept).toString('utf8');
}

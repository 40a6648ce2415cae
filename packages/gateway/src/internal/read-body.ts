import type { Readable } from 'node:stream';
import { CoreError } from '@interlink/core';

/**
 * Reads a request body into memory, up to `limit` bytes: a larger declared `content-length` is
 * refused before a byte is read, a longer stream as soon as it passes the limit (413
 * `ERR_BODY_TOO_LARGE`). The stream is left paused, not destroyed, so the problem still reaches
 * the client, as Fastify's own body reader does. `node:stream/consumers` has no limit.
 */
export function readBody(
  payload: Readable,
  contentLength: string | undefined,
  limit: number,
): Promise<Buffer> {
  const tooLarge = () => new CoreError('ERR_BODY_TOO_LARGE', `The body is larger than ${limit} bytes`);
  if (Number(contentLength) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        payload.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(new CoreError('ERR_MALFORMED_BODY', 'The body could not be read', { cause: error }));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}

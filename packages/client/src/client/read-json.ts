import { ClientError } from '../errors/client-error.js';
import type { JsonCallOptions } from './call-options.js';

/** A body as text, without a UTF-8 byte order mark (as undici's `body.text()` reads it). */
function utf8(body: Buffer): string {
  return body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf
    ? body.toString('utf8', 3)
    : body.toString('utf8');
}

/**
 * Parses and checks a JSON answer read whole (`undefined`: longer than the call's limit); raises
 * `ERR_UPSTREAM_RESPONSE_INVALID` for a bad body. An empty body is `undefined`.
 */
export function parseJson<T>(service: string, body: Buffer | undefined, call: JsonCallOptions<T>): T {
  if (body === undefined) {
    throw new ClientError('ERR_UPSTREAM_RESPONSE_INVALID', `${service}: response body too large`, {
      extensions: { upstream: { service } },
    });
  }
  let value: T;
  try {
    value = (body.length === 0 ? undefined : JSON.parse(utf8(body))) as T;
  } catch (error) {
    throw new ClientError('ERR_UPSTREAM_RESPONSE_INVALID', `${service}: response is not valid JSON`, {
      cause: error,
      extensions: { upstream: { service } },
    });
  }
  if (call.validate && !call.validate(value)) {
    throw new ClientError(
      'ERR_UPSTREAM_RESPONSE_INVALID',
      `${service}${call.operation ? `.${call.operation}` : ''}: response does not match its schema`,
      { extensions: { upstream: { service } } },
    );
  }
  return value;
}

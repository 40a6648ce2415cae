import type { Dispatcher } from 'undici';
import { ClientError } from '../errors/client-error.js';
import type { JsonCallOptions } from './call-options.js';
import { readBodyLimited } from './read-body.js';

/**
 * Reads a body as text within `limit` bytes; `undefined` past it. A declared length within the
 * limit takes undici's own fast path; anything else is read chunk by chunk and cut off past the limit.
 */
export function readText(response: Dispatcher.ResponseData, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers['content-length']);
  if (Number.isInteger(declared) && declared >= 0) {
    if (declared > limit) {
      response.body.destroy();
      return Promise.resolve(undefined);
    }
    return response.body.text();
  }
  return readBodyLimited(response.body, limit).then((raw) => raw?.toString('utf8'));
}

/** Parses and checks a JSON answer read as text; raises `ERR_UPSTREAM_RESPONSE_INVALID` for a bad body. */
export function parseJson<T>(service: string, raw: string | undefined, call: JsonCallOptions<T>): T {
  if (raw === undefined) {
    throw new ClientError('ERR_UPSTREAM_RESPONSE_INVALID', `${service}: response body too large`, {
      extensions: { upstream: { service } },
    });
  }
  let value: T;
  try {
    value = (raw.length === 0 ? undefined : JSON.parse(raw)) as T;
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

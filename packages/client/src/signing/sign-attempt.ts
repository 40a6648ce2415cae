import type { PreparedCall } from '../client/prepared-call.js';
import { ClientError } from '../errors/client-error.js';
import type { RequestSigner } from './request-signer.js';

/**
 * Signs an attempt, inside the retry loop, so each one carries a fresh nonce and `created` time:
 * adds the signer's headers to the attempt's. A synchronous step for a synchronous signer (HMAC);
 * a promise only for an asynchronous one. A signer that throws is a local failure (a missing key,
 * say): nothing is sent, the attempt fails with `ERR_CLIENT_REQUEST_INVALID` and the upstream is
 * not blamed (the breaker does not count it).
 */
export function createAttemptSigner(
  service: string,
  origin: string,
  signer: RequestSigner,
): (call: PreparedCall) => Promise<void> | undefined {
  function failed(error: unknown): ClientError {
    return new ClientError('ERR_CLIENT_REQUEST_INVALID', `${service}: the request could not be signed`, {
      cause: error,
    });
  }
  function add(headers: Record<string, string>, added: Record<string, string>): void {
    for (const k in added) if (Object.hasOwn(added, k)) headers[k.toLowerCase()] = added[k]!;
  }

  return (call) => {
    let signed: Record<string, string> | Promise<Record<string, string>>;
    try {
      signed = signer.sign({
        method: call.method,
        url: call.url,
        origin,
        path: call.path,
        headers: call.headers,
        body: call.signBody,
        streamedBody: call.streamed,
      });
    } catch (error) {
      throw failed(error);
    }
    if (!(signed instanceof Promise)) {
      add(call.headers, signed);
      return undefined;
    }
    const headers = call.headers;
    return signed.then(
      (added) => add(headers, added),
      (error: unknown) => {
        throw failed(error);
      },
    );
  };
}

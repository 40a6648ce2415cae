import type { Layer } from '../client/layer.js';
import { ClientError } from '../errors/client-error.js';
import type { RequestSigner } from './request-signer.js';

/**
 * Signs every attempt, inside the retry loop, so each one carries a fresh nonce and `created`
 * time. A signer that throws is a local failure (a missing key, say): nothing is sent, the call
 * raises `ERR_CLIENT_REQUEST_INVALID` and the upstream is not blamed (the breaker does not count it).
 */
export function signingLayer(service: string, origin: string, signer: RequestSigner): Layer {
  function failed(error: unknown): ClientError {
    return new ClientError('ERR_CLIENT_REQUEST_INVALID', `${service}: the request could not be signed`, {
      cause: error,
    });
  }
  function add(headers: Record<string, string>, added: Record<string, string>): void {
    for (const k in added) if (Object.hasOwn(added, k)) headers[k.toLowerCase()] = added[k]!;
  }

  return (next) => (call) => {
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
      return Promise.reject(failed(error));
    }
    // A synchronous signer (HMAC) is not awaited: one microtask less per attempt.
    if (!(signed instanceof Promise)) {
      add(call.headers, signed);
      return next(call);
    }
    return signed.then(
      (added) => {
        add(call.headers, added);
        return next(call);
      },
      (error: unknown) => {
        throw failed(error);
      },
    );
  };
}

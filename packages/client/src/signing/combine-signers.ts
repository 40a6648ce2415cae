import { ClientError } from '../errors/client-error.js';
import type { RequestSigner, SignableRequest } from './request-signer.js';

type Added = Record<string, string>;

function merge(into: Added, visible: Record<string, string>, added: Added): void {
  for (const [name, value] of Object.entries(added)) {
    const key = name.toLowerCase();
    // Two signers writing one header (seed-000 and seed-internal-routes share theirs) would
    // silently drop a credential: refuse instead.
    if (Object.hasOwn(into, key)) {
      throw new ClientError('ERR_CLIENT_REQUEST_INVALID', `two signers both set the ${key} header`);
    }
    into[key] = value;
    visible[key] = value;
  }
}

/**
 * One {@link RequestSigner} made of several, run in order on each attempt, each seeing the headers
 * the earlier ones added; their headers are sent together. For a migration: RFC 9421 plus the
 * legacy scheme or service token a target still checks, so both old and new receivers accept the
 * call. Stays synchronous while every part is.
 */
export function combineSigners(...signers: readonly RequestSigner[]): RequestSigner {
  return {
    sign(request) {
      const out: Added = {};
      const headers: Record<string, string> = { ...request.headers };
      const next: SignableRequest = { ...request, headers };
      for (let i = 0; i < signers.length; i++) {
        const added = signers[i]!.sign(next);
        if (added instanceof Promise) {
          return (async () => {
            merge(out, headers, await added);
            for (let j = i + 1; j < signers.length; j++) merge(out, headers, await signers[j]!.sign(next));
            return out;
          })();
        }
        merge(out, headers, added);
      }
      return out;
    },
  };
}

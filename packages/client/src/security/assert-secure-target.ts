import { ClientError } from '../errors/client-error.js';

/**
 * Checks an upstream base URL at start-up: only `http:` and `https:`, no credentials in the URL,
 * and in production only `https:` (seed 002's rule; TLS 1.2+ and certificate checks are enforced
 * by the transport). Throws `ERR_INSECURE_TARGET` with the service's name so the fix is obvious.
 */
export function assertSecureTarget(service: string, baseUrl: URL, production: boolean): void {
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
    throw new ClientError(
      'ERR_INSECURE_TARGET',
      `${service}: upstream URL must be http(s), got ${baseUrl.protocol}`,
    );
  }
  if (baseUrl.username !== '' || baseUrl.password !== '') {
    throw new ClientError(
      'ERR_INSECURE_TARGET',
      `${service}: upstream URL must not carry credentials; use a request signer`,
    );
  }
  if (production && baseUrl.protocol !== 'https:') {
    throw new ClientError(
      'ERR_INSECURE_TARGET',
      `${service}: HTTPS is required in production (NODE_ENV=production), got ${baseUrl.protocol}//${baseUrl.host}`,
    );
  }
}

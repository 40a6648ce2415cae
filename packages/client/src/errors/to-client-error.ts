import type { AbortKind } from '../client/call-cancellation.js';
import { ClientError } from './client-error.js';

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

const TIMEOUT_REASONS: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/**
 * Maps anything a call threw (undici's errors, an abort) to a ClientError, telling the call's own
 * deadline (`aborted: 'deadline'`) from its caller going away (`aborted: 'caller'`).
 */
export function toClientError(error: unknown, service: string, aborted: AbortKind | undefined): ClientError {
  if (error instanceof ClientError) return error;
  if (aborted === 'deadline') {
    return new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: the call's deadline passed`, {
      cause: error,
      extensions: { upstream: { service }, reason: 'deadline' },
    });
  }
  if (aborted === 'caller') {
    return new ClientError('ERR_CLIENT_ABORTED', `${service}: the call was aborted by its caller`, {
      cause: error,
    });
  }
  const code = (error as { code?: unknown })?.code;
  const reason = typeof code === 'string' ? TIMEOUT_REASONS[code] : undefined;
  if (reason !== undefined) {
    return new ClientError('ERR_UPSTREAM_TIMEOUT', `${service}: ${reason} timeout`, {
      cause: error,
      extensions: { upstream: { service }, reason },
    });
  }
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) {
    return new ClientError('ERR_UPSTREAM_UNAVAILABLE', `${service}: connection failed (${code})`, {
      cause: error,
      extensions: { upstream: { service }, reason: 'connection' },
    });
  }
  // Anything else (a refused certificate, a protocol error) will fail the same way next time.
  return new ClientError('ERR_UPSTREAM_UNAVAILABLE', `${service}: the call failed`, {
    cause: error,
    retryable: false,
    extensions: { upstream: { service } },
  });
}

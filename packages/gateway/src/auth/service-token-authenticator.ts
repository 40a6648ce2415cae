import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken, CoreError } from '@interlink/core';
import { GatewayError } from '../errors/gateway-error.js';
import type { AuthenticateService } from '../internal/publish-route.js';

/**
 * A service authenticator for the embedded gateway: one bearer secret (generated at start-up by the
 * caller) names one service with fixed permissions. A deployment plugs in RFC 9421 signatures from
 * `@interlink/auth` instead.
 */
export function createServiceTokenAuthenticator(options: {
  token: string;
  service: string;
  permissions: readonly string[];
}): AuthenticateService {
  if (options.token.length < 32) {
    throw new GatewayError(
      'ERR_GATEWAY_CONFIG',
      'the option token (a service token) needs at least 32 characters',
    );
  }
  const expected = createHash('sha256').update(options.token).digest();
  return async (request) => {
    const given = bearerToken(request.headers.authorization);
    const digest = createHash('sha256')
      .update(given ?? '')
      .digest();
    if (!given || !timingSafeEqual(digest, expected)) {
      throw new CoreError('ERR_UNAUTHORIZED', 'A service credential is required');
    }
    return {
      kind: 'service',
      service: options.service,
      roles: [],
      permissions: options.permissions,
      scheme: 'service-bearer',
    };
  };
}

import { loopbackBinding } from '@interlink/auth';
import { CoreError, isInterlinkError, type Principal } from '@interlink/core';
import type { FastifyRequest } from 'fastify';
import type { AuthenticateService } from '../internal/publish-route.js';
import type { SignUpstreamRequest } from '../proxy/proxy-route.js';
import type { VerifyUserToken } from './authenticate-user.js';

// Adapters to `@interlink/auth`, written against the shapes of its exports rather than importing it,
// so the gateway builds and tests on its own while auth evolves; auth's objects fit them as they are.

/** The shape of `@interlink/auth`'s `createJwtVerifier(...)`. */
export interface JwtVerifierLike {
  verify(token: string): Promise<{ principal: Principal; expiresAt: number }>;
}

/** Uses an `@interlink/auth` JWT verifier for user tokens; its expiry ends the user's streams. */
export function userTokenVerifier(verifier: JwtVerifierLike): VerifyUserToken {
  return async (token) => {
    const verified = await verifier.verify(token);
    return { ...verified.principal, expiresAt: verified.expiresAt };
  };
}

/** What `@interlink/auth`'s `createRequestVerifier(...)` takes (its `SignableRequest`). */
export interface SignedRequestLike {
  method: string;
  url: string;
  authority?: string;
  scheme?: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body?: Uint8Array;
  /** The authorities this receiver answers to, from configuration: never the caller's `Host`. */
  expectedAuthority?: string | readonly string[];
}

/** The shape of `@interlink/auth`'s `createRequestVerifier(...)` (RFC 9421). */
export type RequestVerifierLike = (
  request: SignedRequestLike,
) => Promise<{ service: string; keyId?: string; tenantId?: string; userId?: string }>;

/**
 * Authenticates `POST /internal/events` by an RFC 9421 signature (`@interlink/auth`'s request
 * verifier over method, target, content digest of the raw body and identity headers) and gives the
 * service the permissions of its entry in `permissionsFor` (e.g. auth's `servicePermissions`).
 */
export function signedServiceAuthenticator(options: {
  verify: RequestVerifierLike;
  permissionsFor: (service: string) => readonly string[];
  /**
   * The `host[:port]` (or list) services sign `/internal/events` for (`GATEWAY_AUTHORITY`). Without
   * it the gateway answers signed requests only on a loopback address, bound to the port they
   * arrived on, as `@interlink/auth`'s plugin does: a request signed for another service and
   * replayed here with a forged `Host` is refused either way.
   */
  authority?: string | readonly string[];
}): AuthenticateService {
  return async (request: FastifyRequest, readBody) => {
    const expectedAuthority =
      options.authority ?? loopbackBinding(request.socket.localAddress, request.socket.localPort);
    if (expectedAuthority === undefined) {
      throw new CoreError(
        'ERR_UNAUTHORIZED',
        'no authority is configured for signed requests to this gateway (GATEWAY_AUTHORITY, or the authority option)',
      );
    }
    // The digest covers the exact bytes, read (bounded) but not parsed until the signature
    // verifies. An unsigned request is refused by the verifier on its headers alone
    // (ERR_SIGNATURE_MISSING), so its body is never read.
    const signed =
      request.headers.signature !== undefined && request.headers['signature-input'] !== undefined;
    const body = signed ? await readBody() : undefined;
    let verified: Awaited<ReturnType<RequestVerifierLike>>;
    try {
      verified = await options.verify({
        method: request.method,
        url: request.url,
        authority: request.headers.host ?? '',
        scheme: request.protocol,
        expectedAuthority,
        headers: request.headers as SignedRequestLike['headers'],
        ...(body && body.length > 0
          ? { body: new Uint8Array(body.buffer, body.byteOffset, body.length) }
          : {}),
      });
    } catch (error) {
      if (isInterlinkError(error)) throw error;
      throw new CoreError('ERR_UNAUTHORIZED', 'The request signature was refused', { cause: error });
    }
    return {
      kind: 'service',
      service: verified.service,
      roles: [],
      permissions: options.permissionsFor(verified.service),
      ...(verified.keyId ? { tokenId: verified.keyId } : {}),
      scheme: 'rfc9421',
    };
  };
}

/** The shape of `@interlink/auth`'s `createRequestSigner(...)`. */
export interface RequestSignerLike {
  sign(request: {
    method: string;
    url: string;
    headers: Readonly<Record<string, string>>;
    body: Uint8Array | undefined;
  }): Record<string, string>;
}

/**
 * Signs proxied requests with an `@interlink/auth` request signer: method, target, the digest of
 * the body (the proxy reads it whole) and the headers its profile covers (`content-type`,
 * identity, `idempotency-key`) among those the upstream receives.
 */
export function upstreamSigner(signer: RequestSignerLike): SignUpstreamRequest {
  return async ({ method, url, headers, body }) => signer.sign({ method, url, headers, body });
}

import { problemErrorHandler, REQUEST_ID_HEADER } from '@interlink/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from './gateway-error.js';

/** Fastify's errors the gateway answers with its own codes. */
export function gatewayErrorFor(error: FastifyError): unknown {
  if (error.code === 'FST_ERR_BAD_URL') {
    return new GatewayError('ERR_GATEWAY_URL_MALFORMED', 'The path has a malformed percent-escape');
  }
  return error;
}

/**
 * Core's problem handler, writing the gateway's usual headers first (the request id, the
 * profile's security headers): for the responses core's request hook did not decorate, the
 * router's `frameworkErrors` (a path that does not percent-decode is refused before any hook runs)
 * and the proxy's own problems (its route leaves the headers of proxied responses to the upstream).
 */
export function gatewayProblemHandler(
  headers: Readonly<Record<string, string>> | undefined,
  mapError: (error: FastifyError) => unknown = gatewayErrorFor,
) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (headers) reply.headers(headers);
    // Core's handler reads any error (Interlink errors first); its parameter is Fastify's type.
    return problemErrorHandler(mapError(error) as FastifyError, request, reply);
  };
}

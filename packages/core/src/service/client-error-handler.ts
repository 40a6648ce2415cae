import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { coreErrorCodes } from '../errors/error-codes.js';
import { createProblem, PROBLEM_CONTENT_TYPE } from '../errors/problem-details.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-hooks.js';

type ClientErrorCode = keyof typeof coreErrorCodes &
  ('ERR_HTTP_MALFORMED' | 'ERR_HEADERS_TOO_LARGE' | 'ERR_REQUEST_TIMEOUT');

/** What Node's HTTP parser reports, mapped to the kit's codes; anything else is a malformed request. */
const PARSER_ERRORS: Readonly<Record<string, ClientErrorCode>> = {
  HPE_HEADER_OVERFLOW: 'ERR_HEADERS_TOO_LARGE',
  ERR_HTTP_REQUEST_TIMEOUT: 'ERR_REQUEST_TIMEOUT',
};

const STATUS: Readonly<Record<ClientErrorCode, number>> = {
  ERR_HTTP_MALFORMED: 400,
  ERR_HEADERS_TOO_LARGE: 431,
  ERR_REQUEST_TIMEOUT: 408,
};

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (raw bytes it does not allow
 * in the request line, a malformed header, headers past the limit, a head that took too long) never
 * reaches a route or a hook, and Fastify's default answers with its own JSON and no headers of the
 * service. This answers the same refusals as every other one: an RFC 9457 problem with a stable code,
 * a request id and the service's fixed security headers, then closes the connection (the parser's
 * state is lost, as in Node's own handler).
 */
export function createClientErrorHandler(
  fixedHeaders: Readonly<Record<string, string>> | undefined,
): (this: { log: FastifyBaseLogger }, error: Error & { code?: string }, socket: Duplex) => void {
  const headerLines = Object.entries(fixedHeaders ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return function clientErrorHandler(error, socket) {
    // A reset or already closed connection has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const code = PARSER_ERRORS[error.code ?? ''] ?? 'ERR_HTTP_MALFORMED';
    const status = STATUS[code];
    const requestId = requestIdFrom(undefined);
    // Most of these are scanners or broken proxies: worth a line at debug level, not an alert.
    this.log.debug({ code, parserCode: error.code, requestId }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(createProblem({ code, status, requestId }));
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          `content-type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n` +
          `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
          headerLines +
          'cache-control: no-store\r\nconnection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy();
  };
}

import { Readable } from 'node:stream';
import { isTenantId, isTopic, isUserId } from '@interlink/bus';
import { CoreError, type Principal } from '@interlink/core';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayEventSource } from '../events/event-source.js';
import { tenantSubject, userSubject } from '../events/subjects.js';
import { readBody } from './read-body.js';

/**
 * Authenticates a service request to `POST /internal/events` (RFC 9421 through `@interlink/auth`
 * in a full deployment); throws an Interlink 401/403 error to refuse it. It runs before the body is
 * read: one that needs the body's bytes (a signature's content digest) calls `readBody`, which
 * reads them, bounded, without parsing them; one that does not call it answers before a byte of
 * the body is read.
 */
export type AuthenticateService = (
  request: FastifyRequest,
  readBody: () => Promise<Buffer>,
) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated service of `POST /internal/events` (its rate limit keys on it). */
    gatewayService?: string;
  }
}

/** A limit checked after authentication; throws a 429 problem when the caller is over it. */
export type RequestRateLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface PublishRouteOptions {
  source: GatewayEventSource;
  authenticate: AuthenticateService;
  subjectPrefix: string;
  /** Largest accepted JSON data, in bytes; 64 KiB by default. */
  maxDataBytes?: number;
  /** Largest accepted body, in bytes; twice `maxDataBytes` plus 16 KiB by default. */
  maxBodyBytes?: number;
  /** Runs after authentication, before the body is parsed. */
  perServiceLimit?: RequestRateLimit;
}

/** The permission a service needs to publish to browsers. */
export const PUBLISH_PERMISSION = 'events:publish';

// `events:publish`, or a wildcard that covers it (`events:*`, `*`), as auth's permission maps write them.
function grantsPublish(permissions: readonly string[]): boolean {
  return permissions.some((p) => p === PUBLISH_PERMISSION || p === 'events:*' || p === '*');
}

const PublishBody = Type.Object(
  {
    tenantId: Type.String({ minLength: 1, maxLength: 128 }),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    type: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.Unknown(),
  },
  { additionalProperties: false },
);

interface PublishBodyType {
  tenantId: string;
  userId?: string;
  type: string;
  data: unknown;
}

/**
 * `POST /internal/events`: a service publishes an event to one user (`userId`) or to every user of
 * a tenant (no `userId`); answers 202 with the event's id.
 */
export function registerPublishRoute(app: FastifyInstance, options: PublishRouteOptions): void {
  const maxDataBytes = options.maxDataBytes ?? 64 * 1024;
  // Its own scope: this route's JSON parser runs only after the caller is authenticated.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch {
        done(new CoreError('ERR_MALFORMED_BODY', 'The body is not valid JSON'), undefined);
      }
    });
    registerRoute(scope, options, maxDataBytes);
  });
}

function registerRoute(app: FastifyInstance, options: PublishRouteOptions, maxDataBytes: number): void {
  const bodyLimit = options.maxBodyBytes ?? 2 * maxDataBytes + 16 * 1024;
  app.post<{ Body: PublishBodyType }>(
    '/internal/events',
    {
      bodyLimit,
      schema: { body: PublishBody },
      // Before the body is read or parsed: an unauthenticated caller costs no parsing, and with an
      // authenticator that needs only headers not even the reading of its body.
      preParsing: async (request, reply, payload) => {
        let bytes: Promise<Buffer> | undefined;
        const read = () => {
          bytes ??= readBody(payload, request.headers['content-length'], bodyLimit);
          return bytes;
        };
        const principal = await options.authenticate(request, read);
        if (principal.kind !== 'service' || !grantsPublish(principal.permissions)) {
          throw new CoreError('ERR_FORBIDDEN', `The ${PUBLISH_PERMISSION} permission is required`);
        }
        request.gatewayService = principal.service ?? '';
        await options.perServiceLimit?.(request, reply);
        // The bytes already read go to the parser; otherwise Fastify reads the body itself.
        return bytes ? Readable.from([await bytes]) : payload;
      },
    },
    async (request, reply) => {
      const { tenantId, userId, type } = request.body;
      // The bus's own rules: an event the gateway accepts is one the bus can carry.
      if (!isTenantId(tenantId) || (userId !== undefined && !isUserId(userId))) {
        throw new GatewayError(
          'ERR_GATEWAY_EVENT_INVALID',
          'tenantId and userId may hold only letters, digits, "_" and "-" (no leading "_" in tenantId, userId not "_")',
        );
      }
      if (!isTopic(type)) {
        throw new GatewayError(
          'ERR_GATEWAY_EVENT_INVALID',
          'type must be dot-separated words of letters, digits, "_" and "-" (order.paid)',
        );
      }
      const data = JSON.stringify(request.body.data ?? null);
      if (Buffer.byteLength(data) > maxDataBytes) {
        throw new GatewayError('ERR_GATEWAY_EVENT_INVALID', `data is larger than ${maxDataBytes} bytes`);
      }
      const subject =
        userId === undefined
          ? tenantSubject(options.subjectPrefix, tenantId)
          : userSubject(options.subjectPrefix, tenantId, userId);
      try {
        const event = await options.source.publish({ subject, type, data });
        return reply.code(202).send({ id: event.id });
      } catch (error) {
        request.log.error({ err: error }, 'publish failed');
        throw new GatewayError('ERR_GATEWAY_PUBLISH_FAILED', 'The event was not published; retry');
      }
    },
  );
}

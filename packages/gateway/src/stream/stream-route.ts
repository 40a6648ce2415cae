import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearerToken } from '@interlink/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import {
  authenticateUser,
  looksLikeJwt,
  type StreamIdentity,
  streamIdentity,
  type VerifyUserToken,
} from '../auth/authenticate-user.js';
import { GatewayError } from '../errors/gateway-error.js';
import { encodeFrame } from '../events/encode-frame.js';
import { formatEventId, parseEventId } from '../events/event-id.js';
import type { GatewayEventSource, ReplayResult } from '../events/event-source.js';
import { tenantSubject, userSubject } from '../events/subjects.js';
import type { ConnectionLease, ConnectionLimiter } from '../limits/connection-limiter.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { hashStreamToken, type StreamTokens } from '../tokens/stream-tokens.js';
import { SseConnection } from './sse-connection.js';
import type { StreamHub } from './stream-hub.js';

export interface StreamRouteOptions {
  hub: StreamHub;
  source: GatewayEventSource;
  tokens: StreamTokens;
  limiter: ConnectionLimiter;
  leases: Map<SseConnection, ConnectionLease>;
  verifyUserToken: VerifyUserToken;
  metrics: GatewayMetrics;
  subjectPrefix: string;
  maxConnections: number;
  retryMs: number;
  maxQueueBytes: number;
  tokenExpiringLeadMs: number;
  /** Per-IP limit, before authentication. */
  perIpLimit?: onRequestHookHandler;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};

/** `GET /events/stream`: seed 003's SSE endpoint, resumable, bounded and authenticated. */
export function registerStreamRoute(app: FastifyInstance, options: StreamRouteOptions): StreamRoute {
  const { hub, metrics } = options;

  // Streams opened with a stream token, by stream id: each token holds one stream at a time.
  const tokenStreams = new Map<string, { connection: SseConnection; hash: string }>();

  async function identify(request: FastifyRequest): Promise<StreamIdentity & { token?: string }> {
    if (bearerToken(request.headers.authorization)) {
      return streamIdentity(await authenticateUser(request, options.verifyUserToken));
    }
    const token = (request.query as { token?: unknown }).token;
    if (typeof token !== 'string' || token === '') {
      throw new GatewayError(
        'ERR_GATEWAY_UNAUTHENTICATED',
        'An Authorization: Bearer user token or a stream token (?token=) is required',
      );
    }
    // Seed 003 finding 11: a JWT in a URL ends up in access logs, histories and Referer headers.
    if (looksLikeJwt(token)) {
      throw new GatewayError(
        'ERR_GATEWAY_STREAM_TOKEN_INVALID',
        '?token= accepts stream tokens from POST /events/token only, never a JWT',
      );
    }
    const record = await options.tokens.verify(token);
    if (!record) {
      throw new GatewayError('ERR_GATEWAY_STREAM_TOKEN_INVALID', 'The stream token is unknown or expired');
    }
    return { userId: record.userId, tenantId: record.tenantId, expiresAt: record.expiresAt, token };
  }

  /**
   * Makes this stream its token's one stream; the stream it replaces (a reconnect whose old
   * connection the server has not seen close yet, or a second use) is ended here when it is on this
   * instance, else by {@link endSupersededStreams} on its own instance.
   */
  async function claimToken(token: string, streamId: string): Promise<void> {
    const claim = await options.tokens.claim(token, streamId);
    if (!claim.claimed) {
      throw new GatewayError('ERR_GATEWAY_STREAM_TOKEN_INVALID', 'The stream token is unknown or expired');
    }
    if (claim.replaced !== undefined) tokenStreams.get(claim.replaced)?.connection.end();
  }

  async function stream(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const identity = await identify(request);
    if (hub.size >= options.maxConnections) {
      metrics.rejected.inc({ reason: 'instance' });
      throw new GatewayError('ERR_GATEWAY_CONNECTION_LIMIT', 'This gateway instance is full', {
        extensions: { limit: 'instance' },
      });
    }
    const lease: ConnectionLease = {
      connectionId: randomUUID(),
      userId: identity.userId,
      tenantId: identity.tenantId,
    };
    const acquired = await options.limiter.acquire(lease);
    if (!acquired.ok) {
      metrics.rejected.inc({ reason: acquired.limit });
      throw new GatewayError(
        'ERR_GATEWAY_CONNECTION_LIMIT',
        `Too many open streams for this ${acquired.limit}`,
        {
          extensions: { limit: acquired.limit },
        },
      );
    }
    const release = () =>
      options.limiter
        .release(lease)
        .catch((error) => request.log.warn({ err: error }, 'lease release failed'));
    if (identity.token !== undefined) {
      try {
        await claimToken(identity.token, lease.connectionId);
      } catch (error) {
        await release();
        throw error;
      }
    }
    if (request.raw.destroyed) {
      await release();
      return;
    }

    const subjects = [
      userSubject(options.subjectPrefix, identity.tenantId, identity.userId),
      tenantSubject(options.subjectPrefix, identity.tenantId),
    ];
    reply.hijack();
    // A stream is quiet between heartbeats (and they can be slower than the service's idle
    // timeout): its socket is exempt; a dead client is found by the writes instead.
    request.raw.socket.setTimeout(0);
    const res = reply.raw;
    res.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), ...SSE_HEADERS });
    flattenResponseHead(res);
    const connection = new SseConnection(res, {
      id: lease.connectionId,
      userId: identity.userId,
      tenantId: identity.tenantId,
      subjects,
      maxQueueBytes: options.maxQueueBytes,
      onSlow: () => {
        metrics.slowDisconnects.inc();
        request.log.warn({ connectionId: lease.connectionId }, 'slow SSE client disconnected');
      },
    });

    if (identity.token !== undefined) {
      tokenStreams.set(connection.id, { connection, hash: hashStreamToken(identity.token) });
    }
    res.on('close', () => {
      tokenStreams.delete(connection.id);
      hub.remove(connection);
      options.leases.delete(connection);
      connection.markClosed();
      void release();
    });

    const lastEventId = lastEventIdOf(request);
    if (lastEventId !== undefined) connection.startReplay();
    // Registration and the head read happen in one tick: every event after `head` reaches this
    // connection live, so `head` is where a client with nothing newer can safely resume from.
    hub.add(connection);
    const head = formatEventId(options.source.head());
    options.leases.set(connection, lease);
    const connected = encodeFrame({
      // A resuming client keeps its own id until the replay has caught up; a new one starts at head.
      ...(lastEventId === undefined ? { id: head } : {}),
      event: 'connected',
      data: JSON.stringify({ connectionId: lease.connectionId, timestamp: new Date().toISOString() }),
    });
    connection.send(Buffer.concat([Buffer.from(`retry: ${options.retryMs}\n`), connected]));

    if (identity.expiresAt !== undefined)
      connection.expireAt(identity.expiresAt, options.tokenExpiringLeadMs);

    if (lastEventId === undefined) return;
    const position = parseEventId(lastEventId);
    let result: ReplayResult | { kind: 'reset'; reason: 'invalid' };
    if (!position) {
      result = { kind: 'reset', reason: 'invalid' };
    } else {
      try {
        result = await options.source.replay(subjects, position);
      } catch (error) {
        // History may exist but cannot be read now: end the stream so the client retries with the
        // same id, rather than claiming a reset that is not true.
        request.log.error({ err: error }, 'replay failed');
        connection.end();
        return;
      }
    }
    if (result.kind === 'reset') {
      metrics.resets.inc({ reason: result.reason });
      connection.send(
        encodeFrame({
          id: head,
          event: 'reset',
          data: JSON.stringify({ reason: result.reason, lastEventId }),
        }),
      );
    } else {
      // The client has everything up to its id: never send it again, whether it comes from the
      // replay or, live, from an instance whose consumer is a little behind the one it left.
      connection.lastSequence = Math.max(connection.lastSequence, position!.sequence);
      let replayed = 0;
      for (const event of result.events) if (connection.deliverReplayed(event)) replayed++;
      if (replayed > 0) metrics.replayed.inc({ source: result.source }, replayed);
    }
    const sent = connection.finishReplay();
    if (sent > 0) metrics.messagesSent.inc(sent);
  }

  app.get('/events/stream', { ...(options.perIpLimit ? { onRequest: options.perIpLimit } : {}) }, stream);

  return {
    async endSupersededStreams() {
      if (tokenStreams.size === 0) return;
      const claims = [...tokenStreams].map(([streamId, { hash }]) => ({ streamId, hash }));
      for (const streamId of await options.tokens.superseded(claims)) {
        tokenStreams.get(streamId)?.connection.end();
      }
    },
  };
}

/** What the gateway's heartbeat does for the stream route. */
export interface StreamRoute {
  /**
   * Ends this instance's streams whose token another stream has taken (on another instance) or
   * that was revoked; run on every heartbeat.
   */
  endSupersededStreams(): Promise<void>;
}

function lastEventIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') return header;
  const query = (request.query as { lastEventId?: unknown }).lastEventId;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/**
 * Node keeps the response head it built (`_header`, also what `headersSent` reads) for the life of
 * the response, as a rope of about 70 small strings (one per header piece): some 2 KB per open
 * stream. Replacing it with the same text as one flat string keeps every byte Node sends and frees
 * the pieces: Node writes the head as latin1 and refuses header characters above 0xFF, so the
 * latin1 round trip is exact.
 */
function flattenResponseHead(res: ServerResponse): void {
  const outgoing = res as ServerResponse & { _header?: unknown };
  if (typeof outgoing._header === 'string') {
    outgoing._header = Buffer.from(outgoing._header, 'latin1').toString('latin1');
  }
}

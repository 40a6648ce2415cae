// `@interlink/gateway/internal`: the gateway's building blocks that tests and benchmarks reach for
// and users do not call. No stability promise: these change with the gateway's internals.
export {
  authenticateUser,
  bearerToken,
  looksLikeJwt,
  type StreamIdentity,
  streamIdentity,
} from './auth/authenticate-user.js';
export { JWT_ALGORITHMS } from './config/gateway-env.js';
export { embeddedGatewayOptionsFromEnv } from './embedded/start-embedded-gateway-from-env.js';
export { encodeFrame, PING_FRAME } from './events/encode-frame.js';
export { type EventPosition, formatEventId, parseEventId } from './events/event-id.js';
export { isStrippedHeader, stripClientHeaders } from './proxy/proxy-headers.js';
export { upstreamPath } from './proxy/proxy-path.js';
export { createStreamTokens, hashStreamToken } from './tokens/stream-tokens.js';

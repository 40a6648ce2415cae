export {
  backoffDelay,
  DEFAULT_MAX_DELAY_MS,
  JITTER_RATIO,
  RETRY_FLOOR_MS,
  retryReconnectionTime,
} from './client/backoff.js';
export {
  createRealtimeClient,
  type RealtimeClient,
  type RealtimeClientOptions,
  type RealtimeEvent,
  RealtimeHttpError,
  type RealtimeStatus,
  type ResetInfo,
  type Timers,
} from './client/realtime-client.js';
export {
  createSseParser,
  type SseMessage,
  type SseParser,
  type SseParserCallbacks,
  type SseParserOptions,
} from './sse/parse-sse.js';

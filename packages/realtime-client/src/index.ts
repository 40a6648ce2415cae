export { backoffDelay } from './client/backoff.js';
export {
  createRealtimeClient,
  type RealtimeClient,
  type RealtimeClientOptions,
  type RealtimeEvent,
  RealtimeHttpError,
  type RealtimeStatus,
  type ResetInfo,
} from './client/realtime-client.js';
export {
  createSseParser,
  type SseMessage,
  type SseParser,
  type SseParserCallbacks,
} from './sse/parse-sse.js';

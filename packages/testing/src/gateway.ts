/** `@interlink/testing/gateway`: a gateway on port 0 with dev tokens, an SSE client that reads it, a stream token for it, and a set that closes both. */
export { issueStreamToken } from './gateway/issue-stream-token.js';
export { openStream, type TestStream } from './gateway/sse-test-client.js';
export { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway/start-test-gateway.js';
export {
  createTestGateways,
  createTestGatewaysOnRedis,
  type TestGateways,
  type TestGatewaysOnRedis,
} from './gateway/test-gateways.js';

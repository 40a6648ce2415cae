/** `@interlink/testing/gateway`: a gateway on port 0 with dev tokens, an SSE client that reads it, and a set that closes both. */
export { openStream, type TestStream } from './gateway/sse-test-client.js';
export { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway/start-test-gateway.js';
export { createTestGateways, type TestGateways } from './gateway/test-gateways.js';

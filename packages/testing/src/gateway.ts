/** `@interlink/testing/gateway`: a gateway on port 0 with dev tokens, and an SSE client that reads it. */
export { openStream, type TestStream } from './gateway/sse-test-client.js';
export { startTestGateway, type TestGateway } from './gateway/start-test-gateway.js';

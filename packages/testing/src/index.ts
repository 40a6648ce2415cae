/**
 * `@interlink/testing`: what Interlink's own tests share. Private, never published. This entry is
 * light (no vitest; broker clients only when a helper is called); the suites and harnesses live behind subpaths:
 * `./bus` (transport conformance), `./errors` (the error-code table test), `./jobs` (job-backend conformance), `./gateway` (a gateway on
 * port 0 and an SSE client), `./spawn` (child processes) and `./faults` (stopping real brokers).
 */
export { amqpUrl, databaseUrl, natsUrl, redisUrl } from './brokers/broker-urls.js';
export { deleteGatewayState, type GatewayState } from './brokers/delete-gateway-state.js';
export { isInterlinkErrorWithCode } from './errors/is-coded-error.js';
export { type IsolatedNatsNames, isolatedNatsNames } from './names/isolated-nats-names.js';
export { uniqueId, uniqueName } from './names/unique-name.js';
export { deleteNatsStreams } from './nats/delete-nats-streams.js';
export { deleteKeysWithPrefix } from './redis/delete-keys-with-prefix.js';
export { openRedisScratch, type RedisScratch } from './redis/redis-scratch.js';
export { typeScriptNodeArgs } from './spawn/typescript-child.js';
export { waitFor, waitForCount } from './wait/wait-for.js';

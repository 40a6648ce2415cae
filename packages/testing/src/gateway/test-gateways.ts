import { createDevUserTokens, createGatewayEvents } from '@interlink/gateway';
import { openRedisScratch, type RedisScratch } from '../redis/redis-scratch.js';
import { openStream, type TestStream } from './sse-test-client.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './start-test-gateway.js';

/** The gateways and streams one test file opens, closed together by its `afterEach` or `afterAll`. */
export interface TestGateways {
  /** Starts a gateway ({@link startTestGateway}) that {@link TestGateways.close} closes. */
  start(options?: TestGatewayOptions): Promise<TestGateway>;
  /**
   * Starts two instances of one deployment: they share dev user tokens and a memory event source
   * (closed with them), and each gets the options `perInstance` makes (its own client of a shared
   * Redis store or limiter).
   */
  startPair(perInstance: () => TestGatewayOptions): Promise<[TestGateway, TestGateway]>;
  /** Opens an SSE stream ({@link openStream}) that {@link TestGateways.close} closes first. */
  open(url: string, headers?: Record<string, string>): Promise<TestStream>;
  /** Closes every stream, then every gateway; the set can be used again after. */
  close(): Promise<void>;
}

/**
 * Tracks what a test starts, so a failing assertion never leaves a gateway listening. The test
 * calls `close()` from its own hook, where it also orders its other clean-up (Redis keys after the
 * gateways that still write them).
 */
export function createTestGateways(): TestGateways {
  const gateways: TestGateway[] = [];
  const streams: TestStream[] = [];
  const shared: Array<() => Promise<void>> = [];
  const start = async (options?: TestGatewayOptions) => {
    const gateway = await startTestGateway(options);
    gateways.push(gateway);
    return gateway;
  };
  return {
    start,
    async startPair(perInstance) {
      const users = createDevUserTokens();
      const events = await createGatewayEvents();
      shared.push(() => events.close());
      const one = async () => start({ users, events, ...perInstance() });
      return [await one(), await one()];
    },
    async open(url, headers) {
      const stream = await openStream(url, headers);
      streams.push(stream);
      return stream;
    },
    async close() {
      for (const stream of streams.splice(0)) stream.close();
      for (const gateway of gateways.splice(0)) await gateway.close();
      for (const close of shared.splice(0)) await close();
    },
  };
}

/** A {@link TestGateways} set whose gateways share one Redis scratch (limits, tokens, counts across instances). */
export interface TestGatewaysOnRedis extends RedisScratch {
  gateways: TestGateways;
}

/**
 * A gateway set and a Redis scratch ({@link openRedisScratch}) for one test file; `close()` closes the
 * gateways first, then deletes the keys they wrote and disconnects, so no gateway writes after.
 */
export function createTestGatewaysOnRedis(tag: string): TestGatewaysOnRedis {
  const scratch = openRedisScratch(tag);
  const gateways = createTestGateways();
  return {
    ...scratch,
    gateways,
    async close() {
      await gateways.close();
      await scratch.close();
    },
  };
}

import { createServer, type Server, type Socket } from 'node:net';
import { isInterlinkErrorWithCode } from '@interlink/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullmqBackend } from './bullmq-backend.js';

describe('BullMQ backend with Redis unreachable', () => {
  // A port that accepts TCP and never answers: what a hung or partitioned Redis looks like.
  let silent: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails an add with ERR_JOB_STORE_UNAVAILABLE after the add timeout instead of waiting forever', async () => {
    const backend = createBullmqBackend({
      connection: { url: `redis://127.0.0.1:${port}`, maxRetriesPerRequest: null },
      prefix: 'unreachable',
      addTimeoutMs: 200,
    });
    const options = { attempts: 1, keepCompleted: 1, keepFailed: 1 } as const;
    await expect(backend.add('q', { name: 'a', data: {}, options })).rejects.toSatisfy(
      isInterlinkErrorWithCode('ERR_JOB_STORE_UNAVAILABLE'),
    );
    await expect(backend.addBulk('q', [{ name: 'a', data: {}, options }])).rejects.toSatisfy(
      isInterlinkErrorWithCode('ERR_JOB_STORE_UNAVAILABLE'),
    );
    let closed = false;
    await Promise.race([
      backend.close().then(() => {
        closed = true;
      }),
      new Promise((resolve) => setTimeout(resolve, 5000)),
    ]);
    expect(closed).toBe(true);
  });
});

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deleteGatewayState, natsUrl, redisUrl, typeScriptNodeArgs, uniqueId } from '@interlink/testing';
import { openStream, type TestStream } from '@interlink/testing/gateway';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayEvents } from '../events/gateway-bus.js';

// Two gateway processes on the same NATS JetStream and Redis, as in a deployment behind a balancer.
const NATS_URL = natsUrl;
const REDIS_URL = redisUrl;
const suffix = uniqueId();
const STREAM = `GWPROC_${suffix}`;
const PREFIX = `gwproc${suffix}`;
const REDIS_PREFIX = `gwtest:${suffix}:`;
const secret = randomBytes(32);
const fixture = fileURLToPath(new URL('../testing/fixtures/gateway-process.mjs', import.meta.url));
const children: ChildProcess[] = [];
const streams: TestStream[] = [];
let nc: NatsConnection;

function startProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fixture, [], {
    // The gateway's sources, as every other test runs them: no build first.
    execArgv: [...typeScriptNodeArgs],
    env: {
      ...process.env,
      NATS_URL,
      REDIS_URL,
      GW_JWT_SECRET: secret.toString('base64url'),
      GW_STREAM: STREAM,
      GW_PREFIX: PREFIX,
      GW_REDIS_PREFIX: REDIS_PREFIX,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
    child.on('message', (m: { event?: string; address?: string }) => {
      if (m.event === 'listening') resolve({ child, url: m.address! });
    });
  });
}

const userToken = () =>
  new SignJWT({ tenant_id: 't1' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1')
    .setIssuer('fixture')
    .setAudience('gateway')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(secret);

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
  await (await jetstreamManager(nc)).streams.add({ name: STREAM, subjects: [`${PREFIX}.>`] });
}, 120_000);

afterAll(async () => {
  for (const s of streams) s.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await nc.close();
  await deleteGatewayState({ redisPrefix: REDIS_PREFIX, streams: [STREAM] });
});

describe('two gateway processes', () => {
  it('a client dropped by one process (SIGTERM) resumes on the other with every event once, in order', async () => {
    const [a, b] = await Promise.all([startProcess(), startProcess()]);
    const publisher = await createGatewayEvents({ nc, stream: STREAM, subjectPrefix: PREFIX });
    const numbers = (s: TestStream) =>
      s.events.filter((e) => e.event === 'n').map((e) => JSON.parse(e.data).n);
    const first = await openStream(`${a.url}/events/stream`, {
      authorization: `Bearer ${await userToken()}`,
    });
    streams.push(first);
    await first.waitForEvents(1, 'connected');

    const total = 150;
    let published = 0;
    const publishing = (async () => {
      for (let n = 1; n <= total; n++) {
        const subject = n % 4 === 0 ? `${PREFIX}.t1` : `${PREFIX}.t1.u1`;
        await publisher.publish({ subject, type: 'n', data: JSON.stringify({ n }) });
        published = n;
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await first.waitFor(() => numbers(first).length >= 30, '30 events from process A');
    a.child.kill('SIGTERM'); // graceful drain: A ends its streams
    await first.waitClosed();
    const lastId = first.events.filter((e) => e.event === 'n').at(-1)!.id!;
    const second = await openStream(`${b.url}/events/stream`, {
      authorization: `Bearer ${await userToken()}`,
      'last-event-id': lastId,
    });
    streams.push(second);
    expect(published).toBeLessThan(total);
    await publishing;
    await second.waitFor(
      () => numbers(first).length + numbers(second).length >= total,
      'every event',
      10_000,
    );
    expect([...numbers(first), ...numbers(second)]).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await publisher.close();
  }, 60_000);
});

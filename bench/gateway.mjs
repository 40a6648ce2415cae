#!/usr/bin/env node
// SSE fan-out through the gateway against the bare node:http floor (bench/sse-floor.mjs: a verbatim
// copy of shared/bench/sse-floor.mjs, kept out of lint, so a clean clone runs it), with the same
// connection, event and size counts, in the same run.
//
//   npx tsc -b packages/gateway && node bench/gateway.mjs [--connections 500] [--events 200] [--size 100] [--source nats|memory]
//
// The gateway runs in a child process on its real stack (createGateway: auth, limits, hub, metrics).
// Every connection is a different user of one tenant; each event is published tenant-wide, to
// NATS JetStream by default (so the delay includes the broker), and encoded once for all
// connections. The client side (bench/lib/sse-fan-out.mjs) reads frames as the floor's client does.
// Prints the floor's line, the gateway's line, and the gateway/floor ratios.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { askChild, measureFanOut } from './lib/sse-fan-out.mjs';

// NATS client packages are the gateway's dependencies: resolve them from there.
const fromGateway = (name) =>
  import(
    pathToFileURL(createRequire(new URL('../packages/gateway/package.json', import.meta.url)).resolve(name))
      .href
  );

const argv = process.argv;
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i > 0 ? argv[i + 1] : fallback;
};
const connections = Number(arg('connections', 500));
const events = Number(arg('events', 200));
const size = Number(arg('size', 100));
const sourceKind = arg('source', 'nats');

if (argv[2] === '--serve') {
  const gw = await import('../packages/gateway/dist/index.js');
  const users = gw.createDevUserTokens();
  let source;
  let nc;
  const suffix = randomBytes(4).toString('hex');
  const prefix = `gwbench_${suffix}`;
  const stream = `GWBENCH_${suffix}`;
  if (sourceKind === 'nats') {
    const { connect } = await fromGateway('@nats-io/transport-node');
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', noAsyncTraces: true });
    source = await gw.createGatewayEvents({ nc, stream, subjectPrefix: prefix });
  } else {
    source = await gw.createGatewayEvents({ subjectPrefix: prefix });
  }
  const gateway = await gw.createGateway({
    verifyUserToken: users.verifyUserToken,
    events: source,
    subjectPrefix: prefix,
    maxConnections: connections + 10,
    limits: { perUser: 10, perTenant: connections + 10 },
    rateLimits: { perIp: 1_000_000 },
    service: { logLevel: 'warn' },
  });
  const address = await gateway.listen({ handleSignals: false });
  const tokens = [];
  for (let i = 0; i < connections; i++) tokens.push(await users.mint({ userId: `u${i}`, tenantId: 't1' }));
  process.send({ port: Number(new URL(address).port), tokens });
  process.on('message', async (msg) => {
    if (msg.cmd === 'mem') {
      global.gc?.();
      process.send({ rss: process.memoryUsage().rss, clients: gateway.connectionCount() });
    } else if (msg.cmd === 'broadcast') {
      const pad = 'x'.repeat(Math.max(0, msg.size - 40));
      let i = 0;
      const burst = async () => {
        // Bursts of 10 events, as the floor does; each waits for its JetStream ack.
        const acks = [];
        for (let k = 0; k < 10 && i < msg.events; k++, i++) {
          acks.push(
            source.publish({ subject: `${prefix}.t1`, type: 'b', data: `{"t":${Date.now()},"p":"${pad}"}` }),
          );
        }
        await Promise.all(acks);
        if (i < msg.events) setImmediate(burst);
        else process.send({ sent: msg.events });
      };
      burst();
    } else if (msg.cmd === 'exit') {
      await gateway.close();
      await source.close();
      if (nc) {
        const { jetstreamManager } = await fromGateway('@nats-io/jetstream');
        const jsm = await jetstreamManager(nc);
        // The bus's NATS transport made a dead-letter stream beside the events.
        for (const name of [stream, `${stream}_DLQ`]) await jsm.streams.delete(name).catch(() => undefined);
        await nc.close();
      }
      process.exit(0);
    }
  });
} else {
  const floorPath = fileURLToPath(new URL('./sse-floor.mjs', import.meta.url));
  const floorOut = execFileSync(
    process.execPath,
    [floorPath, '--connections', String(connections), '--events', String(events), '--size', String(size)],
    { encoding: 'utf8' },
  );
  const floor = JSON.parse(floorOut.trim().split('\n').at(-1));
  console.log(JSON.stringify(floor));

  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', '--source', sourceKind, '--connections', String(connections)],
    {
      execArgv: [
        '--expose-gc',
        ...(process.env.GATEWAY_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/gw-prof'] : []),
      ],
    },
  );
  const ask = askChild(child);
  const { port, tokens } = await ask(null, 'port');
  const gateway = {
    server: `gateway (${sourceKind === 'nats' ? 'NATS JetStream' : 'memory'} source)`,
    ...(await measureFanOut({
      ask,
      connections,
      events,
      size,
      request: (n) => ({
        host: '127.0.0.1',
        port,
        path: '/events/stream',
        headers: { authorization: `Bearer ${tokens[n]}` },
      }),
    })),
  };
  console.log(JSON.stringify(gateway));
  const ratio = (a, b) => (b > 0 ? Number((a / b).toFixed(2)) : null);
  console.log(
    JSON.stringify({
      ratios: 'gateway / floor',
      eventsPerSecond: ratio(gateway.eventsPerSecond, floor.eventsPerSecond),
      bytesPerConnection: ratio(gateway.bytesPerConnection, floor.bytesPerConnection),
      delayP50: ratio(gateway.delayP50Ms, floor.delayP50Ms),
      delayP99: ratio(gateway.delayP99Ms, floor.delayP99Ms),
    }),
  );
  child.send({ cmd: 'exit' });
  await new Promise((r) => child.on('exit', r));
  process.exit(0);
}

#!/usr/bin/env node
// Every bus benchmark in one run, one after another (they share the machine's brokers, so never at
// once): publish throughput and end-to-end throughput and latency through @interlink/bus against raw
// @nats-io/jetstream and raw amqplib with confirms, and the outbox relay against direct publishing.
// Each part measures its own baseline in the same run and prints its ratio.
//
//   npx tsc -b packages/bus && node bench/bus.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const parts = [
  'bus-nats.mjs',
  'bus-nats-e2e.mjs',
  'bus-rabbitmq.mjs',
  'bus-rabbitmq-e2e.mjs',
  'bus-outbox.mjs',
];
let failed = 0;
for (const part of parts) {
  console.log(`\n## ${part}`);
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(part, import.meta.url))], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed += 1;
    console.log(`${part} exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;

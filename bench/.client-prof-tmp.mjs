import { fork } from 'node:child_process';
import { Registry } from 'prom-client';
import { Pool } from 'undici';
import { createClientMetrics, createServiceClient } from '/work/main/packages/client/dist/index.js';

const child = fork('/work/main/bench/client-throughput.mjs', ['--serve'], { stdio: 'inherit' });
const { port } = await new Promise((r) => child.once('message', r));
const origin = `http://127.0.0.1:${port}`;
const variant = process.argv[2];
const opts = { service: 'b', baseUrl: origin, production: false, transportOptions: { connections: 32 } };
if (variant.includes('metrics')) opts.metrics = createClientMetrics({ registry: new Registry() });
if (variant.includes('nobreaker')) {
  opts.breaker = false;
  opts.bulkhead = false;
}
const c = createServiceClient(opts);
const pool = new Pool(origin, { connections: 32 });
const fn = variant.startsWith('pool')
  ? async () => {
      const r = await pool.request({ method: 'GET', path: '/x' });
      await r.body.json();
    }
  : () => c.json({ path: '/x' });
async function run(n) {
  let i = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (i++ < n) await fn();
    }),
  );
}
await run(5000);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await run(40000);
const cpu = process.cpuUsage(cpu0);
const dt = performance.now() - t0;
console.log(
  variant,
  'cpu us/req',
  ((cpu.user + cpu.system) / 40000).toFixed(1),
  'rps',
  Math.round((40000 / dt) * 1000),
);
child.kill();
await c.close();
await pool.close();

#!/usr/bin/env node
// Requests per second and p99 latency of GET calls through the Interlink client (signing on, with
// propagation, deadline, retry budget, breaker, bulkhead and metrics) against a bare undici Pool,
// `undici.request` and axios with a keep-alive agent, all to the same local server in the same run.
//
//   npx tsc -b packages/client && node bench/client-throughput.mjs [--seconds 4] [--rounds 2] [--concurrency 32]
//
// The server runs in a child process (plain node:http answering a small JSON body). Each contender
// runs `concurrency` loops of sequential calls for `seconds`; rounds rotate the order so a noisy
// machine affects every contender alike. Prints one line per measurement and the ratios.
import { fork } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, Agent as HttpAgent } from 'node:http';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { Registry } from 'prom-client';
import { Pool, request as undiciRequest } from 'undici';
import { createClientMetrics, createServiceClient } from '../packages/client/dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

if (process.argv[2] === '--serve') {
  const body = JSON.stringify({ ticketId: 't1', status: 'active', userId: 'u1', hasBeenTransferred: false });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  const seconds = arg('seconds', 4);
  const rounds = arg('rounds', 2);
  const concurrency = arg('concurrency', 32);
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const origin = `http://127.0.0.1:${port}`;
  const path = '/internal/tickets/t1/status';

  // An HMAC signer of the same cost as a real one: digest, fresh nonce, one HMAC per attempt.
  const secret = randomBytes(32);
  const signer = {
    sign({ method, url, headers, body }) {
      const nonce = randomBytes(16).toString('base64url');
      const created = Math.floor(Date.now() / 1000);
      const digest = createHash('sha256')
        .update(body ?? '')
        .digest('base64');
      const base = `${method}\n${url.pathname}${url.search}\n${headers['x-tenant-id'] ?? ''}\n${digest}\n${nonce}\n${created}`;
      return {
        signature: `sig1=:${createHmac('sha256', secret).update(base).digest('base64')}:`,
        'signature-input': `sig1=("@method" "@target-uri");created=${created};nonce="${nonce}";keyid="bench"`,
      };
    },
  };

  const interlink = createServiceClient({
    service: 'bench',
    baseUrl: origin,
    production: false,
    signer,
    metrics: createClientMetrics({ registry: new Registry() }),
    transportOptions: { connections: concurrency },
  });
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  const axiosClient = axios.create({
    baseURL: origin,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: concurrency }),
  });

  const contenders = {
    interlink: async () => {
      await interlink.json({ path, operation: 'getTicketStatus' });
    },
    'undici Pool': async () => {
      const res = await pool.request({ method: 'GET', path });
      await res.body.json();
    },
    'undici.request': async () => {
      const res = await undiciRequest(origin + path);
      await res.body.json();
    },
    axios: async () => {
      await axiosClient.get(path);
    },
  };

  async function measure(name, fn, durationMs) {
    const latencies = [];
    let errors = 0;
    const end = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const t = performance.now();
          try {
            await fn();
            latencies.push(performance.now() - t);
          } catch {
            errors++;
          }
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN;
    return { name, rps: latencies.length / (durationMs / 1000), p99, errors };
  }

  // Warm up every contender (JIT, sockets) before measuring.
  for (const [name, fn] of Object.entries(contenders)) await measure(name, fn, 500);

  const totals = Object.fromEntries(Object.keys(contenders).map((n) => [n, { rps: [], p99: [] }]));
  const names = Object.keys(contenders);
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const r = await measure(name, contenders[name], seconds * 1000);
      totals[name].rps.push(r.rps);
      totals[name].p99.push(r.p99);
      console.log(
        JSON.stringify({
          round,
          name,
          rps: Math.round(r.rps),
          p99ms: Number(r.p99.toFixed(2)),
          errors: r.errors,
        }),
      );
    }
  }

  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = Object.fromEntries(
    names.map((n) => [n, { rps: mean(totals[n].rps), p99: mean(totals[n].p99) }]),
  );
  console.log('\ncontender        req/s      p99 ms');
  for (const n of names) {
    console.log(
      `${n.padEnd(16)} ${String(Math.round(summary[n].rps)).padStart(7)}   ${summary[n].p99.toFixed(2).padStart(7)}`,
    );
  }
  const ratio = (a, b) => (summary[a].rps / summary[b].rps).toFixed(2);
  console.log(`\ninterlink / undici Pool     = ${ratio('interlink', 'undici Pool')}x`);
  console.log(`interlink / undici.request  = ${ratio('interlink', 'undici.request')}x`);
  console.log(`interlink / axios           = ${ratio('interlink', 'axios')}x`);
  console.log(`undici.request / axios      = ${ratio('undici.request', 'axios')}x`);

  await interlink.close();
  await pool.close();
  child.kill();
}

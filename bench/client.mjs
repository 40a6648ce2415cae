#!/usr/bin/env node
// Requests per second and p99 latency of GET calls through the Interlink client (signing on, with
// propagation, deadline, retry budget, breaker, bulkhead and metrics) against a bare undici Pool,
// `undici.request` and axios with a keep-alive agent, all to the same local server in the same run.
//
//   npx tsc -b packages/client && node bench/client.mjs [--seconds 8] [--concurrency 32]
//
// The server runs in a child process (plain node:http answering a small JSON body). Each contender
// runs `concurrency` loops of sequential calls; contenders take turns in 250 ms slices for `seconds`
// each, so a noisy machine affects every contender alike. Prints req/s, p99, the client process's
// CPU time per request (and the server process's, which bounds req/s when it is the busier one),
// the ratios, the Node version and the load average.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Agent as HttpAgent } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import axios from 'axios';
import { Registry } from 'prom-client';
import { Pool, request as undiciRequest } from 'undici';
import { createRequestSigner, createSigningKey } from '../packages/auth/dist/index.js';
import { createClientMetrics, createServiceClient } from '../packages/client/dist/index.js';

const undiciVersion = JSON.parse(
  readFileSync(new URL('../node_modules/undici/package.json', import.meta.url), 'utf8'),
).version;

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
  // Ends with the parent, even one that did not get to kill it.
  process.on('disconnect', () => process.exit(0));
  // The parent asks for the server's CPU time at each slice's start and end.
  process.on('message', () => {
    const used = process.cpuUsage();
    process.send({ cpu: used.user + used.system });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  const startLoad = loadavg();
  const seconds = arg('seconds', 8);
  const concurrency = arg('concurrency', 32);
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: 'inherit' });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const serverCpu = () =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m.cpu));
      child.send('cpu');
    });
  const origin = `http://127.0.0.1:${port}`;
  const path = '/internal/tickets/t1/status';

  // @interlink/auth's RFC 9421 signer with an hmac-sha256 key: a fresh nonce and signature per attempt.
  const signer = createRequestSigner({
    key: createSigningKey({ keyId: 'bench-1', alg: 'hmac-sha256', secret: randomBytes(32).toString('hex') }),
  });

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

  // Runs `concurrency` loops of sequential calls for `durationMs`; returns latencies and client CPU.
  async function slice(fn, durationMs) {
    const latencies = [];
    let errors = 0;
    const serverBefore = await serverCpu();
    const cpu = process.cpuUsage();
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
    const used = process.cpuUsage(cpu);
    const serverMicros = (await serverCpu()) - serverBefore;
    return { latencies, errors, cpuMicros: used.user + used.system, serverMicros };
  }

  const names = Object.keys(contenders);
  // Warm up every contender (JIT, sockets) before measuring.
  for (let i = 0; i < 2; i++) for (const name of names) await slice(contenders[name], 1000);

  // The machine is shared: contenders take turns in short slices, so load from elsewhere falls on
  // all of them alike, instead of on whichever ran during a busy second.
  const totals = Object.fromEntries(
    names.map((n) => [n, { count: 0, ms: 0, cpu: 0, serverCpu: 0, errors: 0, latencies: [] }]),
  );
  const sliceMs = 250;
  const slices = Math.max(1, Math.round((seconds * 1000) / sliceMs));
  for (let i = 0; i < slices; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const r = await slice(contenders[name], sliceMs);
      const t = totals[name];
      t.count += r.latencies.length;
      t.ms += sliceMs;
      t.cpu += r.cpuMicros;
      t.serverCpu += r.serverMicros;
      t.errors += r.errors;
      for (const l of r.latencies) t.latencies.push(l);
    }
  }

  const summary = {};
  const load = (when, averages) => `${when} ${averages.map((l) => l.toFixed(2)).join(' ')}`;
  console.log(
    `Node ${process.version} (OpenSSL ${process.versions.openssl}), undici ${undiciVersion}; load average ${load('at start', startLoad)}, ${load('at end', loadavg())}`,
  );
  console.log(
    `contender        req/s    p99 ms   client CPU us/req  server CPU us/req  errors   (${slices} x ${sliceMs} ms each, concurrency ${concurrency})`,
  );
  for (const n of names) {
    const t = totals[n];
    t.latencies.sort((a, b) => a - b);
    summary[n] = {
      rps: t.count / (t.ms / 1000),
      p99: t.latencies[Math.floor(t.latencies.length * 0.99)] ?? Number.NaN,
      cpu: t.cpu / t.count,
      serverCpu: t.serverCpu / t.count,
    };
    console.log(
      `${n.padEnd(16)} ${String(Math.round(summary[n].rps)).padStart(6)}  ${summary[n].p99.toFixed(2).padStart(7)}  ${summary[n].cpu.toFixed(1).padStart(17)}  ${summary[n].serverCpu.toFixed(1).padStart(17)}  ${String(t.errors).padStart(6)}`,
    );
  }
  const ratio = (a, b) => (summary[a].rps / summary[b].rps).toFixed(2);
  const cpuRatio = (a, b) => (summary[a].cpu / summary[b].cpu).toFixed(2);
  console.log(
    `\ninterlink / undici Pool     = ${ratio('interlink', 'undici Pool')}x req/s   (${cpuRatio('interlink', 'undici Pool')}x CPU per request)`,
  );
  console.log(
    `interlink / undici.request  = ${ratio('interlink', 'undici.request')}x req/s   (${cpuRatio('interlink', 'undici.request')}x CPU per request)`,
  );
  console.log(
    `interlink / axios           = ${ratio('interlink', 'axios')}x req/s   (${cpuRatio('interlink', 'axios')}x CPU per request)`,
  );
  console.log(`undici.request / axios      = ${ratio('undici.request', 'axios')}x req/s`);

  await interlink.close();
  await pool.close();
  child.kill();
}

#!/usr/bin/env node
// What reading a proxied body whole costs, against streaming it: three proxies on the same Fastify
// and @fastify/reply-from, in front of the same upstream, measured in the same run:
//   stream  the gateway's proxy before issue 16: bodies piped to the upstream as they arrive,
//           so no digest can be signed (the signature headers go before the body)
//   buffer  the body read whole (Fastify's buffer reader), then sent with a Content-Length
//   signed  the proxy now: as buffer, plus the body's SHA-256 content digest and an HMAC
//           RFC 9421 signature from @interlink/auth's signer
// POST bodies of several sizes, sent one after another over one keep-alive connection; rounds
// rotate the proxies. Prints the median time per request of each and the ratios to stream, and
// the CPU time per request of this process (client, proxies and upstream all run in it, so the
// difference between two proxies is what one costs more; it is less disturbed by a busy machine).
//
//   npx tsc -b && node bench/gateway-proxy-body.mjs [--requests 100] [--rounds 3]
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import replyFrom from '@fastify/reply-from';
import Fastify from 'fastify';
import { Agent, request } from 'undici';
import { createRequestSigner, createSigningKey } from '../packages/auth/dist/index.js';
import { numberArg as arg } from './lib/args.mjs';

const REQUESTS = arg('requests', 100);
const ROUNDS = arg('rounds', 3);
const SIZES = [1024, 64 * 1024, 1024 * 1024];

const upstream = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
});
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${upstream.address().port}`;

async function proxy(kind) {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  const signer = createRequestSigner({
    key: createSigningKey({ keyId: 'gw-1', alg: 'hmac-sha256', secret: randomBytes(32) }),
  });
  if (kind === 'stream') {
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  } else {
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }
  await app.register(replyFrom, { base });
  app.post('/api/*', (req, reply) => {
    const path = req.url.slice('/api'.length);
    const headers = { 'content-type': req.headers['content-type'], 'x-tenant-id': 't1', 'x-user-id': 'u1' };
    if (kind === 'stream') {
      return reply.from(path, { rewriteRequestHeaders: (_r, sent) => ({ ...sent, ...headers }) });
    }
    const signed =
      kind === 'signed'
        ? signer.sign({ method: 'POST', url: `${base}${path}`, headers, body: req.body })
        : {};
    return reply.from(path, {
      body: req.body,
      contentType: 'application/octet-stream',
      rewriteRequestHeaders: (_r, sent) => ({
        ...headers,
        ...signed,
        host: sent.host,
        'content-length': String(req.body.length),
      }),
    });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${app.server.address().port}` };
}

const KINDS = ['stream', 'buffer', 'signed'];
const proxies = Object.fromEntries(await Promise.all(KINDS.map(async (kind) => [kind, await proxy(kind)])));
const agent = new Agent({ connections: 1 });

async function run(url, body) {
  const times = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++) {
    const start = process.hrtime.bigint();
    const res = await request(`${url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
      dispatcher: agent,
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  cpuPerRequest.push((used.user + used.system) / REQUESTS);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
let cpuPerRequest = [];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const size of SIZES) {
  const body = randomBytes(size);
  for (const kind of KINDS) await run(proxies[kind].url, body); // warm-up
  const medians = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  const cpus = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...KINDS.slice(round % KINDS.length), ...KINDS.slice(0, round % KINDS.length)];
    for (const kind of order) {
      cpuPerRequest = cpus[kind];
      medians[kind].push(await run(proxies[kind].url, body));
    }
  }
  const [stream, buffer, signed] = KINDS.map((kind) => median(medians[kind]));
  const [cpuStream, cpuBuffer, cpuSigned] = KINDS.map((kind) => median(cpus[kind]));
  console.log(
    `${String(size / 1024).padStart(5)} KiB  median ms: stream ${stream.toFixed(3)}, buffer ${buffer.toFixed(3)} (${(buffer / stream).toFixed(2)}x), signed ${signed.toFixed(3)} (${(signed / stream).toFixed(2)}x);  CPU µs/request (client, proxy and upstream): stream ${cpuStream.toFixed(0)}, buffer ${cpuBuffer.toFixed(0)} (${(cpuBuffer / cpuStream).toFixed(2)}x), signed ${cpuSigned.toFixed(0)} (${(cpuSigned / cpuStream).toFixed(2)}x)`,
  );
}

await agent.close();
for (const { app } of Object.values(proxies)) await app.close();
upstream.close();

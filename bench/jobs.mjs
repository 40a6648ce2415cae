#!/usr/bin/env node
// Jobs per second added (bulk) and processed through @interlink/jobs (job manager + BullMQ backend:
// payload validation on add and on run, trace/tenant envelope, request context, timeout, breaker,
// metrics) against bare BullMQ Queue.addBulk + Worker, on the same Redis, in the same run.
//
//   npx tsc -b packages/jobs && node bench/jobs.mjs [--jobs 5000] [--rounds 8] [--concurrency 10]
//
// Both sides use seed 001's critical class options (5 attempts, exponential 1000 ms, keep 50/100)
// and the same worker concurrency; handlers do no work, so the figures are the overhead of each
// path. Rounds alternate so a noisy machine affects both alike. Prints one JSON line per round and
// the ratios (interlink / bullmq) of the medians, plus this process's CPU per job for each side.
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { createBullmqBackend, createJobManager } from '../packages/jobs/dist/index.js';
import { wrapPayload } from '../packages/jobs/dist/internal.js';
import { integrationPreset } from '../packages/jobs/dist/presets.js';
import { numberArg as arg } from './lib/args.mjs';
import { cpuMicrosSince } from './lib/cpu.mjs';
import { alternate } from './lib/rounds.mjs';
import { median } from './lib/statistics.mjs';

const total = arg('jobs', 5000);
const rounds = arg('rounds', 8);
const concurrency = arg('concurrency', 10);
const batch = 500;
const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
const payload = (i) => ({
  provider: 'stripe',
  event: 'charge.succeeded',
  payload: { id: `ch_${i}`, amount: 1000 },
});
const critical = integrationPreset.classes.critical;
const bullOptions = {
  attempts: critical.attempts,
  backoff: critical.backoff,
  removeOnComplete: critical.keepCompleted,
  removeOnFail: critical.keepFailed,
};

// This process's CPU since `since`, per job.
function cpuMicros(since) {
  return Math.round(cpuMicrosSince(since) / total);
}

function finished() {
  let resolve;
  let seen = 0;
  const done = new Promise((r) => {
    resolve = r;
  });
  return {
    done,
    hit() {
      if (++seen === total) resolve();
    },
  };
}

async function bare(prefix) {
  const queue = new Queue(critical.queue, { connection, prefix });
  const addCpu = process.cpuUsage();
  const addStart = performance.now();
  for (let i = 0; i < total; i += batch) {
    const jobs = [];
    for (let j = i; j < Math.min(total, i + batch); j++)
      jobs.push({ name: 'webhook', data: payload(j), opts: bullOptions });
    await queue.addBulk(jobs);
  }
  const addMs = performance.now() - addStart;
  const addUs = cpuMicros(addCpu);
  const counter = finished();
  const runCpu = process.cpuUsage();
  const runStart = performance.now();
  const worker = new Worker(critical.queue, async () => counter.hit(), { connection, prefix, concurrency });
  await counter.done;
  const runMs = performance.now() - runStart;
  const runUs = cpuMicros(runCpu);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { addMs, runMs, addUs, runUs };
}

async function interlink(prefix) {
  const jobs = createJobManager({
    backend: createBullmqBackend({ connection, prefix }),
    classes: { critical: { ...critical, concurrency } },
    types: { webhook: integrationPreset.types.webhook },
    registry: new Registry(),
  });
  const addCpu = process.cpuUsage();
  const addStart = performance.now();
  for (let i = 0; i < total; i += batch) {
    const items = [];
    for (let j = i; j < Math.min(total, i + batch); j++) items.push({ payload: payload(j) });
    await jobs.addBulk('webhook', items);
  }
  const addMs = performance.now() - addStart;
  const addUs = cpuMicros(addCpu);
  const counter = finished();
  const runCpu = process.cpuUsage();
  const runStart = performance.now();
  jobs.handle('webhook', async () => counter.hit());
  jobs.start();
  await counter.done;
  const runMs = performance.now() - runStart;
  const runUs = cpuMicros(runCpu);
  await jobs.backend.obliterate(critical.queue);
  await jobs.close({ timeoutMs: 5000 });
  return { addMs, runMs, addUs, runUs };
}

const results = { bullmq: [], interlink: [] };
const run = randomBytes(3).toString('hex');
const sides = { bullmq: bare, interlink };
// A warm-up round of each (connections, Lua script loading, JIT), not counted.
await bare(`bench-jobs-${run}-warm-bullmq`);
await interlink(`bench-jobs-${run}-warm-interlink`);
for (let round = 0; round < rounds; round++) {
  // ABBA order, so whatever drifts during a run (other load on the machine) hits both sides alike.
  const order = alternate(round, ['bullmq', 'interlink']);
  for (const name of order) {
    const { addMs, runMs, addUs, runUs } = await sides[name](`bench-jobs-${run}-${round}-${name}`);
    const row = {
      round,
      name,
      addedPerSec: Math.round((total / addMs) * 1000),
      processedPerSec: Math.round((total / runMs) * 1000),
      // CPU of this process per job while adding and while processing: steadier than rates on a
      // shared machine, and it is what the wrapper adds.
      addCpuMicrosPerJob: addUs,
      processCpuMicrosPerJob: runUs,
    };
    results[name].push(row);
    console.log(JSON.stringify(row));
  }
}
const med = (name, key) => median(results[name].map((r) => r[key]));
const side = (name) => ({
  addedPerSec: med(name, 'addedPerSec'),
  processedPerSec: med(name, 'processedPerSec'),
  addCpuMicrosPerJob: med(name, 'addCpuMicrosPerJob'),
  processCpuMicrosPerJob: med(name, 'processCpuMicrosPerJob'),
});
const summary = {
  node: process.version,
  jobs: total,
  concurrency,
  rounds,
  bullmq: side('bullmq'),
  interlink: side('interlink'),
};
const ratio = (a, b) => +(a / b).toFixed(2);
summary.ratio = {
  added: ratio(summary.interlink.addedPerSec, summary.bullmq.addedPerSec),
  processed: ratio(summary.interlink.processedPerSec, summary.bullmq.processedPerSec),
  // bullmq / interlink, so above 1 means interlink uses less CPU per job, like the other ratios.
  addCpu: ratio(summary.bullmq.addCpuMicrosPerJob, summary.interlink.addCpuMicrosPerJob),
  processCpu: ratio(summary.bullmq.processCpuMicrosPerJob, summary.interlink.processCpuMicrosPerJob),
};
console.log(JSON.stringify(summary));

// The manager's own work per job, without Redis: its processor (run-time validation, envelope,
// request context, timeout, breaker, metrics) driven directly by a backend that only hands it jobs,
// against calling the handler bare, 10 at a time, alternating. Far steadier than the rates above,
// which BullMQ's and Redis's own ~60-100 us per job and the machine's noise dominate.
async function managerOverhead() {
  let processor;
  const fake = {
    kind: 'fake',
    shared: false,
    work(_queue, p) {
      processor = p;
      return { close: async () => ({ unfinished: 0 }), running: 0 };
    },
    close: async () => {},
  };
  const manager = createJobManager({
    backend: fake,
    classes: { critical: { ...critical, concurrency } },
    types: { webhook: integrationPreset.types.webhook },
    registry: new Registry(),
  });
  const handler = async () => {};
  manager.handle('webhook', handler);
  manager.start();
  const datas = Array.from({ length: 1000 }, (_, i) => wrapPayload(payload(i)));
  const active = (i) => ({
    id: String(i),
    queue: critical.queue,
    name: 'webhook',
    data: datas[i % 1000],
    attemptsMade: 0,
    attempts: critical.attempts,
    signal: undefined,
    abort() {},
  });
  const n = 100_000;
  const time = async (one) => {
    const since = process.cpuUsage();
    for (let i = 0; i < n; i += 10) {
      const batchOf = [];
      for (let k = 0; k < 10; k++) batchOf.push(one(i + k));
      await Promise.all(batchOf);
    }
    return cpuMicrosSince(since) / n;
  };
  const overheads = [];
  for (let round = 0; round < 6; round++) {
    const viaManager = await time((i) => processor(active(i)));
    // The same job object made, then the handler called without the manager.
    const bareCall = await time((i) => {
      active(i);
      return handler();
    });
    if (round > 0) overheads.push(viaManager - bareCall); // the first round warms up
  }
  await manager.close();
  return +median(overheads).toFixed(2);
}
console.log(JSON.stringify({ managerOverheadMicrosPerJob: await managerOverhead() }));

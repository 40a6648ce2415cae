import { Queue, Worker } from 'bullmq';
import { createBullmqBackend, createJobManager, integrationPreset } from '../packages/jobs/dist/index.js';
const total = 5000, concurrency = 10;
const connection = { url: 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
const opts = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 50, removeOnFail: 100 };
async function fill(prefix, data) {
  const q = new Queue('q', { connection, prefix });
  for (let i = 0; i < total; i += 500) await q.addBulk(Array.from({ length: 500 }, (_, j) => ({ name: 'webhook', data: data(i + j), opts })));
  return q;
}
const payload = (i) => ({ provider: 'stripe', event: 'charge.succeeded', payload: { id: `ch_${i}`, amount: 1000 } });
async function timeIt(label, prefix, data, start) {
  const q = await fill(prefix, data);
  let n = 0, done; const p = new Promise(r => done = r);
  const t = performance.now(); const cpu = process.cpuUsage();
  const stop = await start(prefix, () => { if (++n === total) done(); });
  await p; const ms = performance.now() - t; const c = process.cpuUsage(cpu);
  await stop(); await q.obliterate({ force: true }); await q.close();
  console.log(label, Math.round(total / ms * 1000), 'cpu us/job', Math.round((c.user + c.system) / total));
}
const variants = {
  bare: async (prefix, hit) => { const w = new Worker('q', async () => hit(), { connection, prefix, concurrency }); return () => w.close(); },
  bare2: async (prefix, hit) => { const w = new Worker('q', async (job, token) => hit(), { connection, prefix, concurrency }); return () => w.close(); },
  backend: async (prefix, hit) => { const b = createBullmqBackend({ connection, prefix }); const w = b.work('q', async () => hit(), { concurrency }); return async () => { await w.close(); await b.close(); }; },
  manager: async (prefix, hit) => {
    const m = createJobManager({ backend: createBullmqBackend({ connection, prefix }), classes: { critical: { ...integrationPreset.classes.critical, queue: 'q' } }, types: { webhook: integrationPreset.types.webhook } });
    m.handle('webhook', async () => hit()); m.start(); return () => m.close({ timeoutMs: 1000 }); },
};
const which = process.argv.slice(2);
for (let r = 0; r < 3; r++) for (const v of which) await timeIt(v, `tp-${r}-${v}`, v === 'manager' ? (i) => ({ payload: payload(i), meta: {} }) : payload, variants[v]);

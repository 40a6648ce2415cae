// The client side of an SSE fan-out bench against a server in a forked child: it opens the streams,
// has the child broadcast, and measures what arrives. It reads frames as bench/sse-floor.mjs's client
// does (a string scan for the blank line, the send time taken from `{"t":`, delays sampled on every
// 50th connection), so a bench that compares itself with the floor pays the same client cost.
import { on } from 'node:events';
import http from 'node:http';
import { percentile } from './statistics.mjs';

/**
 * Talks to a forked bench server: `ask(msg, key)` sends `msg` (unless null) and resolves with the
 * first message back that carries `key`. The server answers `{ cmd: 'mem' }` with `{ rss, clients }`
 * and `{ cmd: 'broadcast', events, size }` by sending that many timed events to every stream.
 */
export function askChild(child) {
  return async (msg, key) => {
    const replies = on(child, 'message'); // listening before sending, so no reply is missed
    if (msg) child.send(msg);
    for await (const [reply] of replies) if (key in reply) return reply;
  };
}

/** Calls `onSentAt(ms)` with the send time of each timed event in an SSE response. */
function readTimedEvents(res, onSentAt) {
  res.setEncoding('utf8');
  let tail = '';
  res.on('data', (chunk) => {
    const text = tail + chunk;
    let at = 0;
    for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n', at)) {
      const frame = text.slice(at, end);
      at = end + 2;
      const t = frame.indexOf('{"t":');
      if (t !== -1) onSentAt(Number(frame.slice(t + 5, frame.indexOf(',', t))));
    }
    tail = text.slice(at);
  });
}

/** What arrives across all streams: counts, first and last arrival, and sampled delays. */
function deliveryLog(expected) {
  const log = { received: 0, firstAt: 0, lastAt: 0, delays: [] };
  log.complete = new Promise((resolve) => {
    log.record = (n, sentAt) => {
      const now = Date.now();
      if (!log.firstAt) log.firstAt = now;
      if (n % 50 === 0) log.delays.push(now - sentAt);
      if (++log.received === expected) {
        log.lastAt = now;
        resolve();
      }
    };
  });
  return log;
}

/** Asks the server for its memory until it reports holding every stream. */
async function untilHeld(ask, connections) {
  for (;;) {
    const held = await ask({ cmd: 'mem' }, 'rss');
    if (held.clients >= connections) return held;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Opens `connections` streams (200 at a time; `request(n)` gives connection n's `http.get` options),
 * waits until the server holds them all, has it broadcast `events` events of `size` bytes, and
 * returns the figures sse-floor.mjs prints: memory per held connection, delivery rate, first-event
 * time and the p50/p99 delay from the server's write to the client's read.
 */
export async function measureFanOut({ ask, connections, events, size, request }) {
  const base = await ask({ cmd: 'mem' }, 'rss');
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const log = deliveryLog(connections * events);
  const open = (n) =>
    new Promise((resolve, reject) => {
      const req = http.get({ ...request(n), agent }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        readTimedEvents(res, (sentAt) => log.record(n, sentAt));
        resolve();
      });
      req.on('error', reject);
    });
  for (let first = 0; first < connections; first += 200) {
    const batch = Math.min(200, connections - first);
    await Promise.all(Array.from({ length: batch }, (_, k) => open(first + k)));
  }
  const held = await untilHeld(ask, connections);
  const started = Date.now();
  ask({ cmd: 'broadcast', events, size }, 'sent');
  await log.complete;
  agent.destroy();
  return {
    connections: held.clients,
    bytesPerConnection: Math.round((held.rss - base.rss) / connections),
    eventsDelivered: log.received,
    eventsPerSecond: Math.round(log.received / ((log.lastAt - started) / 1000)),
    firstEventMs: log.firstAt - started,
    delayP50Ms: percentile(log.delays, 50),
    delayP99Ms: percentile(log.delays, 99),
  };
}

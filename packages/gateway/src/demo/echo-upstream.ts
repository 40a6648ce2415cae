import http from 'node:http';
import type { GatewayEventSource } from '../events/event-source.js';
import { userSubject } from '../events/subjects.js';

/**
 * The demo's upstream, on a loopback port: `POST /echo` publishes the request back to its user
 * (seed 003's two-way test). Give its address to `createGateway({ upstream })`.
 */
export async function startEchoUpstream(
  events: GatewayEventSource,
  subjectPrefix: string,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      if (body.length < 16_384) body += chunk;
    });
    req.on('end', async () => {
      // Only the gateway calls this server (it listens on loopback), and the gateway sets these two
      // headers from the verified token after stripping the client's.
      const userId = String(req.headers['x-user-id'] ?? '');
      const tenantId = String(req.headers['x-tenant-id'] ?? '');
      if (req.method !== 'POST' || req.url !== '/echo' || !userId || !tenantId) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      let message: unknown = body;
      try {
        message = (JSON.parse(body) as { message?: unknown }).message ?? null;
      } catch {}
      try {
        const event = await events.publish({
          subject: userSubject(subjectPrefix, tenantId, userId),
          type: 'echo',
          data: JSON.stringify({ message, via: 'upstream', at: new Date().toISOString() }),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: event.id }));
      } catch {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"publish failed"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

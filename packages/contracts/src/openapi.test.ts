import { readFile } from 'node:fs/promises';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerContractRoutes } from './fastify-route.js';
import { openApiDocument } from './openapi.js';
import type { ServiceContract } from './service-contract.js';
import { serviceContracts } from './service-contracts.js';

const docs = new URL('../../../docs/openapi/', import.meta.url);
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/** `METHOD /path/{param}` for every operation of a document. */
function operationsOf(document: { paths?: Record<string, object | undefined> }): string[] {
  return Object.entries(document.paths ?? {})
    .flatMap(([path, item]) =>
      Object.keys(item ?? {})
        .filter((key) => METHODS.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/** `METHOD /path/{param}` for every route a service registers from the contract. */
async function registeredRoutes(contract: ServiceContract): Promise<string[]> {
  const app = Fastify({ logger: false });
  const seen: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      // Fastify adds a HEAD twin of each GET by itself; the contract and the document list the GET.
      if (method === 'HEAD') continue;
      seen.push(`${method} ${route.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`);
    }
  });
  const handlers = Object.fromEntries(Object.keys(contract.routes).map((op) => [op, async () => ({})]));
  registerContractRoutes(app, contract, handlers);
  await app.ready();
  await app.close();
  return seen.sort();
}

describe.each(serviceContracts.map((c) => [c.service, c] as const))(
  'docs/openapi/%s.json',
  (service, contract) => {
    it('lists exactly the routes a service registers from the contract', async () => {
      const committed = JSON.parse(await readFile(new URL(`${service}.json`, docs), 'utf8'));
      const routes = await registeredRoutes(contract);
      expect(routes).toHaveLength(Object.keys(contract.routes).length);
      expect(operationsOf(committed)).toEqual(routes);
      expect(committed).toMatchObject({ openapi: '3.1.0', info: { version: contract.version } });
    });

    it('is what the contract generates today (run `npm run openapi -w @interlink/contracts` when not)', async () => {
      const committed = JSON.parse(await readFile(new URL(`${service}.json`, docs), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(await openApiDocument(contract))));
    });
  },
);

describe('an OpenAPI document', () => {
  it('names each operation, its permission and its 4xx problems', async () => {
    const [ticket] = serviceContracts;
    const document = (await openApiDocument(ticket!)) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const transfer = document.paths['/internal/tickets/{ticketId}/transfer']!.post!;
    expect(transfer).toMatchObject({
      operationId: 'transferTicket',
      'x-permission': 'tickets:transfer',
      'x-consumers': ['transfer-service'],
    });
    const responses = transfer.responses as Record<string, { content?: Record<string, unknown> }>;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415']);
    expect(responses['409']!.content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
  });
});

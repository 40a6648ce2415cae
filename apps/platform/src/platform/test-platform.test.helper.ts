import { request as httpRequest } from 'node:http';
import {
  createServiceClient,
  createTypedClient,
  isClientError,
  type ServiceClient,
  type TypedClient,
} from '@interlink/client';
import type { ServiceContract } from '@interlink/contracts';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { preparePlatformScratch } from '../db/platform-scratch.test.helper.js';
import type { DataService } from '../db/service-names.js';
import { createDevKeyring, type DevKeyring } from '../service/dev-keyring.js';
import { type PlatformServices, startPlatformServices } from './start-platform-services.js';

/** The problem a typed call was refused with: status and code as the service sent them. */
export async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isClientError(error)) throw new Error(`expected a refused call, got ${String(error)}`);
  return { status: error.upstream?.status, ...(error.upstream?.problem as Record<string, unknown>) };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON answer (a problem's `code` and members), or the text when it is not JSON. */
  body: { code?: string; [member: string]: unknown };
}

export interface RawRequest {
  /** The calling service whose key signs; unsigned when `undefined`. */
  caller?: string;
  method: 'GET' | 'POST';
  /** Sent exactly as written: no URL parser normalises `..` or `%2f` away. */
  path: string;
  tenantId?: string;
  /** A JSON value, or a string sent as is (malformed JSON). */
  body?: unknown;
  /** Send these exact signature headers instead of signing anew (a replay). */
  reuseSignature?: Record<string, string>;
}

export interface TestPlatform extends PlatformServices {
  dev: DevKeyring;
  /** Runs SQL as a service's own role, to set up rows a test needs. */
  sql(service: DataService, text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A typed client of `service` signing as `caller` (no retries: each test sees one attempt). */
  client<Routes extends ServiceContract['routes']>(
    caller: string,
    service: DataService,
    contract: ServiceContract<Routes>,
  ): TypedClient<Routes>;
  /** One request built by hand, signed as `caller` (or not at all), for what a typed client refuses to send. */
  raw(service: DataService, request: RawRequest): Promise<RawAnswer & { signature: Record<string, string> }>;
  stop(): Promise<void>;
}

/**
 * The five services on a database of their own on the shared PostgreSQL (suffixed roles and
 * schemas, demo data), with a development keyring; `stop()` closes them and drops the database and roles.
 */
export async function startTestPlatform(): Promise<TestPlatform> {
  const { databases, drop } = await preparePlatformScratch();
  const clients: ServiceClient[] = [];
  let platform: PlatformServices | undefined;
  try {
    const dev = createDevKeyring(undefined, { production: false });
    platform = await startPlatformServices({
      databases,
      keyring: dev.keyring,
      signerFor: dev.signerFor,
      logLevel: 'silent',
    });
    const started = platform;
    return {
      ...started,
      dev,
      async sql(service, text, values = []) {
        const client = new pg.Client(databases[service].url);
        await client.connect();
        try {
          return (await client.query(text, values)).rows;
        } finally {
          await client.end();
        }
      },
      client(caller, service, contract) {
        const upstream = createServiceClient({
          service: contract.service,
          baseUrl: started.urls[service],
          signer: dev.signerFor(caller),
          retry: false,
          breaker: false,
        });
        clients.push(upstream);
        return createTypedClient(upstream, contract.routes);
      },
      async raw(service, request) {
        const origin = started.urls[service];
        const body =
          request.body === undefined
            ? undefined
            : typeof request.body === 'string'
              ? request.body
              : JSON.stringify(request.body);
        const headers: Record<string, string> = { host: new URL(origin).host };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (request.tenantId !== undefined) headers['x-tenant-id'] = request.tenantId;
        const bytes = body === undefined ? undefined : Buffer.from(body);
        const signature =
          request.reuseSignature ??
          (request.caller === undefined
            ? {}
            : await dev.signerFor(request.caller).sign({
                method: request.method,
                url: `${origin}${request.path}`,
                origin,
                path: request.path,
                headers,
                body: bytes,
                streamedBody: false,
              }));
        const answer = await send(origin, request.method, request.path, { ...headers, ...signature }, bytes);
        return { ...answer, signature };
      },
      async stop() {
        await Promise.all(clients.map((c) => c.close()));
        await started.close();
        await drop();
      },
    };
  } catch (error) {
    await platform?.close();
    await drop();
    throw error;
  }
}

/**
 * The platform of one test file: started before its tests ({@link startTestPlatform}) and stopped
 * after them. The handle forwards to the started platform, so tests and helpers declared at the
 * top of the file can hold it before `beforeAll` has run.
 */
export function useTestPlatform(): TestPlatform {
  let started: TestPlatform | undefined;
  beforeAll(async () => {
    started = await startTestPlatform();
  });
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as TestPlatform, {
    get(_target, member) {
      if (!started) throw new Error('The test platform is used before beforeAll started it');
      return Reflect.get(started, member);
    },
  });
}

/**
 * One test per case: a signed GET to `service` whose path carries a malformed id (not a UUID, an
 * encoded slash, a UUID-shaped string with dots) is refused with a 400 `ERR_VALIDATION` problem,
 * never routed elsewhere or handed to a handler. Every data service keeps this promise.
 */
export function itRefusesBadPathIds(
  platform: TestPlatform,
  service: DataService,
  caller: string,
  cases: ReadonlyArray<readonly [what: string, path: string]>,
): void {
  it.each(cases)('a path id that is %s is a 400 problem', async (_what, path) => {
    const answer = await platform.raw(service, { caller, method: 'GET', path, tenantId: DEMO.tenants.acme });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('ERR_VALIDATION');
  });
}

function send(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: the test sees the text.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as RawAnswer['body'] });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteNatsStreams, natsUrl, uniqueId } from '@interlink/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import { type EmbeddedGateway, startEmbeddedGateway } from '../embedded/start-embedded-gateway.js';
import { createGatewayEvents } from '../events/gateway-bus.js';
import { realtimeClientDist } from './demo-routes.js';

const suffix = uniqueId();
const STREAM = `GWBROWSER_${suffix}`;
const PREFIX = `gwbrowser_${suffix}`;
export const SCREENSHOT = join(tmpdir(), 'interlink-gateway-demo.png');

const users = createDevUserTokens();
const serviceToken = randomBytes(32).toString('base64url');
const connections: NatsConnection[] = [];
const profile = mkdtempSync(join(tmpdir(), 'interlink-chromium-'));
let context: BrowserContext | undefined;
let gateway: EmbeddedGateway | undefined;

async function startGateway(port = 0): Promise<EmbeddedGateway> {
  const nc = await connect({ servers: natsUrl });
  connections.push(nc);
  const events = await createGatewayEvents({ nc, stream: STREAM, subjectPrefix: PREFIX });
  return startEmbeddedGateway({
    port,
    events,
    users,
    serviceToken,
    handleSignals: false,
    gateway: { subjectPrefix: PREFIX, drainSpreadMs: 0, service: { logLevel: 'warn' } },
  });
}

// Runs in the page (a function, not a string: the page's CSP forbids eval). This package has no DOM
// types, hence the narrow cast.
const countAtLeast = (n: number) =>
  (
    globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
  ).document.querySelectorAll('#events li[data-type="n"]').length >= n;

const publish = (base: string, n: number) =>
  fetch(`${base}/internal/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'acme', userId: 'alice', type: 'n', data: { n } }),
  });

beforeAll(async () => {
  // The page loads the SDK's ESM build, which `npm test` makes (tsc -b) before any test runs.
  const sdk = join(realtimeClientDist(), 'index.js');
  if (!existsSync(sdk)) throw new Error(`${sdk} is missing: run npx tsc -b before this test`);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await gateway?.close();
  for (const nc of connections) await nc.close();
  await deleteNatsStreams([STREAM, `${STREAM}_DLQ`]);
  rmSync(profile, { recursive: true, force: true });
});

describe('demo page in Chromium', () => {
  it('signs in, receives events, round-trips /api, and shows every event missed while the gateway restarted', async () => {
    gateway = await startGateway();
    const port = Number(new URL(gateway.url).port);
    const page = await context!.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${gateway.url}/demo/`);
    await page.fill('#user', 'alice');
    await page.fill('#tenant', 'acme');
    await page.click('#sign-in-button');
    await page.waitForSelector('#status[data-status="open"]');

    expect((await publish(gateway.url, 1)).status).toBe(202);
    await page.waitForSelector('#events li[data-type="n"]');

    await page.click('#two-way');
    await page.waitForSelector('#events li[data-type="echo"]');

    // Restart: events published while no gateway runs must appear after the page reconnects.
    await gateway.close();
    const nc = await connect({ servers: natsUrl });
    connections.push(nc);
    const outage = await createGatewayEvents({ nc, stream: STREAM, subjectPrefix: PREFIX });
    for (const n of [2, 3, 4]) {
      await outage.publish({ subject: `${PREFIX}.acme.alice`, type: 'n', data: JSON.stringify({ n }) });
    }
    await outage.close();
    gateway = await startGateway(port);
    await page.waitForFunction(countAtLeast, 4, { timeout: 15_000 });
    expect((await publish(gateway.url, 5)).status).toBe(202);
    await page.waitForFunction(countAtLeast, 5);

    const shown = await page.$$eval('#events li[data-type="n"]', (items) =>
      items.map((li) => JSON.parse(li.textContent!.slice(2)).n as number),
    );
    expect(shown).toEqual([1, 2, 3, 4, 5]);
    expect(await page.isHidden('#reset')).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The EventSource transport: a stream token in the URL, never the JWT (seed 003 finding 11).
    const esPage = await context!.newPage();
    const urls: string[] = [];
    esPage.on('request', (request) => urls.push(request.url()));
    await esPage.goto(`${gateway.url}/demo/?transport=eventsource`);
    await esPage.fill('#user', 'alice');
    await esPage.fill('#tenant', 'acme');
    await esPage.click('#sign-in-button');
    await esPage.waitForSelector('#status[data-status="open"]');
    expect((await publish(gateway.url, 6)).status).toBe(202);
    await esPage.waitForSelector('#events li[data-type="n"]');
    const streamUrls = urls.filter((u) => u.includes('/events/stream'));
    expect(streamUrls.length).toBeGreaterThan(0);
    for (const u of streamUrls)
      expect(new URL(u).searchParams.get('token')).toMatch(/^st_[A-Za-z0-9_-]{43}$/);
  }, 60_000);
});

import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwksKeySource } from './jwks-key-source.js';
import { createJwtVerifier } from './verify-jwt.js';

const first = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = (pair: typeof first, kid: string) => ({
  ...pair.publicKey.export({ format: 'jwk' }),
  kid,
  use: 'sig',
  alg: 'ES256',
});

let published = [jwk(first, 'k1')];
let fetches = 0;
let server: Server;
let hanging: Server;
let url = '';
let hangingUrl = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  hanging = createServer(() => {}); // accepts, never answers
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  hanging.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => hanging.close(r));
});

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function es256(kid: string, pair: typeof first): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'ES256', kid })}.${b64({ sub: 'u', tenant_id: 't', iss: 'i', aud: 'a', iat: now, exp: now + 60 })}`;
  const sig = sign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

describe('createJwksKeySource', () => {
  it('fetches once, caches, and refetches on an unknown kid at a bounded rate', async () => {
    let now = 1_000_000;
    const source = createJwksKeySource({ url, now: () => now, minRefreshIntervalMs: 30_000 });
    const verifier = createJwtVerifier({ jwks: source, issuer: 'i', audience: 'a', cacheSize: 0 });
    fetches = 0;
    await verifier.verify(es256('k1', first));
    await verifier.verify(es256('k1', first));
    expect(fetches).toBe(1);

    // A flood of unknown kids within the interval: no more fetches, each refused.
    for (let i = 0; i < 20; i++) {
      await expect(verifier.verify(es256(`forged-${i}`, second))).rejects.toMatchObject({
        code: 'ERR_JWT_UNKNOWN_KID',
      });
    }
    expect(fetches).toBe(1);

    // Rotation: the issuer publishes k2; after the interval the unknown kid triggers one refetch.
    published = [jwk(first, 'k1'), jwk(second, 'k2')];
    now += 30_000;
    const { principal } = await verifier.verify(es256('k2', second));
    expect(principal.userId).toBe('u');
    expect(fetches).toBe(2);
  });

  it('refuses (ERR_JWKS_UNAVAILABLE) when the key server does not answer in time', async () => {
    const source = createJwksKeySource({ url: hangingUrl, timeoutMs: 200 });
    const verifier = createJwtVerifier({ jwks: source, issuer: 'i', audience: 'a' });
    await expect(verifier.verify(es256('k1', first))).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
  });
});

import { createHash, generateKeyPairSync, sign } from 'node:crypto';
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
let otherFetches = 0;
let server: Server;
let other: Server;
let hanging: Server;
let base = '';
let url = '';
let otherUrl = '';
let hangingUrl = '';

/** A set over `bytes` long: real keys padded with copies of one under other kids. */
const bigSet = (bytes: number) => {
  const count = Math.ceil(bytes / JSON.stringify(jwk(second, 'pad-0')).length);
  const keys = Array.from({ length: count }, (_, i) => jwk(second, `pad-${i}`));
  return JSON.stringify({ keys: [jwk(first, 'k1'), ...keys] });
};

beforeAll(async () => {
  server = createServer((req, res) => {
    fetches++;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: otherUrl }).end();
    } else if (req.url === '/big') {
      res.setHeader('content-type', 'application/json');
      res.end(bigSet(80 * 1024)); // with a content-length
    } else if (req.url === '/big-chunked') {
      const body = bigSet(80 * 1024);
      res.writeHead(200, { 'content-type': 'application/json' }); // no content-length: chunked
      for (let i = 0; i < body.length; i += 4096) res.write(body.slice(i, i + 4096));
      res.end();
    } else if (req.url === '/stalled-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":['); // and never more
    } else {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    }
  });
  other = createServer((_req, res) => {
    otherFetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk(second, 'k1')] }));
  });
  hanging = createServer(() => {}); // accepts, never answers
  for (const s of [server, other, hanging]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const origin = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  base = origin(server);
  url = `${base}/jwks.json`;
  otherUrl = `${origin(other)}/jwks.json`;
  hangingUrl = `${origin(hanging)}/jwks.json`;
});

afterAll(async () => {
  for (const s of [server, other, hanging]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function refusal(promise: Promise<unknown>): Promise<{ code?: string; cause?: { code?: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; cause?: { code?: string } };
  }
  return { code: 'accepted' };
}

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

  it('never follows a redirect, to another origin or at all (ERR_JWKS_REDIRECT)', async () => {
    otherFetches = 0;
    const verifier = createJwtVerifier({
      jwks: createJwksKeySource({ url: `${base}/redirect` }),
      issuer: 'i',
      audience: 'a',
    });
    // The other origin serves a set under which this token would verify.
    const error = await refusal(verifier.verify(es256('k1', second)));
    expect(error.code).toBe('ERR_JWKS_UNAVAILABLE');
    expect(error.cause?.code).toBe('ERR_JWKS_REDIRECT');
    expect(otherFetches).toBe(0);
  });

  it.each(['/big', '/big-chunked'])(
    'refuses a set over maxBytes (ERR_JWKS_TOO_LARGE), declared or not: %s',
    async (path) => {
      const verifier = createJwtVerifier({
        jwks: createJwksKeySource({ url: `${base}${path}`, maxBytes: 64 * 1024 }),
        issuer: 'i',
        audience: 'a',
      });
      const error = await refusal(verifier.verify(es256('k1', first)));
      expect(error.code).toBe('ERR_JWKS_UNAVAILABLE');
      expect(error.cause?.code).toBe('ERR_JWKS_TOO_LARGE');
      // The same set under a larger cap is read and verifies: the cap, not the content, refused it.
      const roomy = createJwtVerifier({
        jwks: createJwksKeySource({ url: `${base}${path}`, maxBytes: 256 * 1024 }),
        issuer: 'i',
        audience: 'a',
      });
      expect((await roomy.verify(es256('k1', first))).principal.userId).toBe('u');
    },
  );

  it('a key the set withdraws stops verifying at the next refresh, cached tokens included', async () => {
    let now = 2_000_000;
    published = [jwk(first, 'k1'), jwk(second, 'k2')];
    const source = createJwksKeySource({ url, now: () => now, maxAgeMs: 60_000 });
    const verifier = createJwtVerifier({ jwks: source, issuer: 'i', audience: 'a' });
    const old = es256('k1', first);
    const kept = es256('k2', second);
    await verifier.verify(old);
    await verifier.verify(kept);
    // k1 is withdrawn; within maxAge nothing is refetched and the cached token still verifies.
    published = [jwk(second, 'k2')];
    expect((await verifier.verify(old)).principal.userId).toBe('u');
    // The next refresh (the set is stale; any token that needs a key triggers it) drops k1...
    now += 60_001;
    await verifier.verify(es256('k2', second));
    expect(await refusal(verifier.verify(old))).toMatchObject({ code: 'ERR_JWT_UNKNOWN_KID' });
    // ...and only k1: tokens of the key still published stay cached and valid.
    expect((await verifier.verify(kept)).principal.userId).toBe('u');
  });

  it('a kid whose key was replaced drops the tokens of the old key', async () => {
    let now = 3_000_000;
    published = [jwk(first, 'k1')];
    const source = createJwksKeySource({ url, now: () => now, maxAgeMs: 60_000 });
    const verifier = createJwtVerifier({ jwks: source, issuer: 'i', audience: 'a' });
    const old = es256('k1', first);
    await verifier.verify(old);
    published = [jwk(second, 'k1')];
    now += 60_001;
    await verifier.verify(es256('k1', second));
    expect(await refusal(verifier.verify(old))).toMatchObject({ code: 'ERR_JWT_SIGNATURE' });
  });

  it('skips keys it refuses (e = 1, key_ops without verify), so a forged token fails; the rest verify', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'RS256', kid: 'weak' })}.${b64({ sub: 'admin', tenant_id: 't', iss: 'i', aud: 'a', iat: now, exp: now + 60 })}`;
    // With e = 1 the signature is the padded hash itself: no private key needed.
    const t = Buffer.concat([
      Buffer.from('3031300d060960864801650304020105000420', 'hex'),
      createHash('sha256').update(input).digest(),
    ]);
    const forged = Buffer.concat([
      Buffer.from([0, 1]),
      Buffer.alloc(256 - t.length - 3, 0xff),
      Buffer.from([0]),
      t,
    ]);
    published = [
      { kty: 'RSA', n: rsa.n, e: 'AQ', kid: 'weak', alg: 'RS256' },
      { ...jwk(second, 'enc'), key_ops: ['encrypt'] },
      jwk(first, 'k1'),
    ] as typeof published;
    const verifier = createJwtVerifier({ jwks: createJwksKeySource({ url }), issuer: 'i', audience: 'a' });
    expect(await refusal(verifier.verify(`${input}.${forged.toString('base64url')}`))).toMatchObject({
      code: 'ERR_JWT_UNKNOWN_KID',
    });
    expect(await refusal(verifier.verify(es256('enc', second)))).toMatchObject({
      code: 'ERR_JWT_UNKNOWN_KID',
    });
    expect((await verifier.verify(es256('k1', first))).principal.userId).toBe('u');
  });

  it('times out a body that never ends, not only a server that never answers', async () => {
    const source = createJwksKeySource({ url: `${base}/stalled-body`, timeoutMs: 200 });
    const verifier = createJwtVerifier({ jwks: source, issuer: 'i', audience: 'a' });
    await expect(verifier.verify(es256('k1', first))).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
  });

  it('refuses (ERR_JWKS_UNAVAILABLE) when the key server does not answer in time', async () => {
    const source = createJwksKeySource({ url: hangingUrl, timeoutMs: 200 });
    const verifier = createJwtVerifier({ jwks: source, issuer: 'i', audience: 'a' });
    await expect(verifier.verify(es256('k1', first))).rejects.toMatchObject({ code: 'ERR_JWKS_UNAVAILABLE' });
  });
});

#!/usr/bin/env node
// User JWT verification, fresh-token path (every token distinct, so no cache helps): jose against
// fast-jwt, each configured as strictly as @interlink/auth needs (algorithm allowlist, iss, aud,
// exp/iat required, 30 s tolerance, 24 h max age), and @interlink/auth's verifier (fast-jwt plus its
// header and claim policy) fresh and repeated. HS256 and ES256.
//
//   npx tsc -b packages/auth && node bench/auth-jwt.mjs [--tokens 4000] [--rounds 3]
//
// Rounds alternate libraries so a noisy machine affects each alike; prints verifications/s per
// library and the ratios fast-jwt/jose and interlink/jose.
import { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import * as jose from 'jose';
import { createJwtVerifier } from '../packages/auth/dist/index.js';
import { numberArg } from './lib/args.mjs';
import { median } from './lib/statistics.mjs';

const N = numberArg('tokens', 4000);
const ROUNDS = numberArg('rounds', 3);
const secret = randomBytes(32);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const now = Math.floor(Date.now() / 1000);

async function mint(alg, key, kid) {
  const tokens = [];
  for (let i = 0; i < N; i++) {
    tokens.push(
      await new jose.SignJWT({ sub: `user-${i}`, tenant_id: 'tenant-a', roles: ['agent'] })
        .setProtectedHeader({ alg, kid, typ: 'JWT' })
        .setIssuedAt(now)
        .setIssuer('https://auth.bench')
        .setAudience('bench-api')
        .setExpirationTime(now + 600)
        .setJti(String(i))
        .sign(key),
    );
  }
  return tokens;
}

async function rate(tokens, verify) {
  const start = performance.now();
  for (const t of tokens) await verify(t);
  return tokens.length / ((performance.now() - start) / 1000);
}

const cases = [
  {
    alg: 'HS256',
    sign: createSecretKey(secret),
    jose: createSecretKey(secret),
    fast: secret,
    ours: { kid: 'hs', key: secret, secret: true },
  },
  {
    alg: 'ES256',
    sign: ec.privateKey,
    jose: ec.publicKey,
    fast: ec.publicKey.export({ type: 'spki', format: 'pem' }),
    ours: { kid: 'es', key: ec.publicKey },
  },
];

for (const c of cases) {
  const tokens = await mint(c.alg, c.sign, c.ours.kid);
  const joseOptions = {
    algorithms: [c.alg],
    issuer: 'https://auth.bench',
    audience: 'bench-api',
    clockTolerance: 30,
    maxTokenAge: 86_400,
    requiredClaims: ['exp', 'iat', 'iss', 'aud'],
  };
  // The same policy in fast-jwt's names, which count milliseconds where jose counts seconds.
  const fast = createVerifier({
    key: c.fast,
    algorithms: joseOptions.algorithms,
    allowedIss: joseOptions.issuer,
    allowedAud: joseOptions.audience,
    clockTolerance: joseOptions.clockTolerance * 1000,
    maxAge: joseOptions.maxTokenAge * 1000,
    requiredClaims: joseOptions.requiredClaims,
    cache: false,
  });
  const results = { jose: [], fastJwt: [], interlinkFresh: [], interlinkRepeated: [] };
  for (let r = 0; r < ROUNDS; r++) {
    results.jose.push(await rate(tokens, (t) => jose.jwtVerify(t, c.jose, joseOptions)));
    results.fastJwt.push(await rate(tokens, (t) => fast(t)));
    // A new verifier per round: an empty cache, so every token is a fresh one.
    const ours = createJwtVerifier({ keys: [c.ours], issuer: 'https://auth.bench', audience: 'bench-api' });
    results.interlinkFresh.push(await rate(tokens, (t) => ours.verify(t)));
    const one = tokens.slice(0, 1);
    results.interlinkRepeated.push(await rate(Array(N).fill(one[0]), (t) => ours.verify(t)));
  }
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(median(v))]));
  console.log(
    JSON.stringify({
      alg: c.alg,
      node: process.version,
      perSecond: m,
      fastJwtOverJose: +(m.fastJwt / m.jose).toFixed(2),
      interlinkFreshOverJose: +(m.interlinkFresh / m.jose).toFixed(2),
      interlinkFreshOverFastJwt: +(m.interlinkFresh / m.fastJwt).toFixed(2),
      interlinkRepeatedOverFresh: +(m.interlinkRepeated / m.interlinkFresh).toFixed(2),
    }),
  );
}

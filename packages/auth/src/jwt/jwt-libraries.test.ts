import { createHmac, createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createVerifier } from 'fast-jwt';
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from './verify-jwt.js';

// The negative cases run through jose and fast-jwt configured as strictly as each allows,
// and through our verifier (verifyCompactJws on node:crypto plus our header and claim policy). This records what each
// library catches on its own, and why the policy layer exists: a case a library lets through is a
// case our own code must (and does) refuse.
const NOW = Math.floor(Date.now() / 1000);
const secret = randomBytes(32);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function hs(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: Buffer | string = secret,
): string {
  const input = `${b64({ alg: 'HS256', kid: 'hs', ...header })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}
const good = { sub: 'u', tenant_id: 't', iss: 'iss', aud: 'aud', iat: NOW - 10, exp: NOW + 600, jti: 'j' };
const cases: Record<string, string> = {
  'alg none': `${b64({ alg: 'none' })}.${b64(good)}.`,
  'HS256 with the RSA public key as secret': hs({ kid: 'rsa' }, good, rsaPem),
  expired: hs({}, { ...good, exp: NOW - 60 }),
  'nbf in the future': hs({}, { ...good, nbf: NOW + 60 }),
  'too old': hs({}, { ...good, iat: NOW - 90_000 }),
  'wrong iss': hs({}, { ...good, iss: 'evil' }),
  'wrong aud': hs({}, { ...good, aud: 'other' }),
  'missing exp': hs({}, { ...good, exp: undefined }),
  'bad signature': hs({}, good, randomBytes(32)),
  'embedded jwk': hs({ jwk: { kty: 'oct', k: secret.toString('base64url') } }, good),
  'unknown crit': hs({ crit: ['x-ext'], 'x-ext': 1 }, good),
  'service token as user token': hs({ typ: 'service+jwt' }, { ...good, token_use: 'service' }),
  'missing iss/aud (legacy)': hs({}, { ...good, iss: undefined, aud: undefined }),
};

async function refuses(fn: () => unknown): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch {
    return true;
  }
}

describe('jose and fast-jwt through the negative cases', () => {
  it('our verifier refuses every case; each library alone lets some through', async () => {
    const joseKey = createSecretKey(secret);
    const joseOpts = {
      algorithms: ['HS256'],
      issuer: 'iss',
      audience: 'aud',
      clockTolerance: 30,
      maxTokenAge: 86_400,
      requiredClaims: ['exp', 'iat'],
    };
    const fast = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      allowedIss: 'iss',
      allowedAud: 'aud',
      clockTolerance: 30_000,
      maxAge: 86_400_000,
      requiredClaims: ['exp'],
      cache: false,
    });
    const ours = createJwtVerifier({
      keys: [
        { kid: 'hs', key: secret, secret: true },
        { kid: 'rsa', key: rsa.publicKey },
      ],
      issuer: 'iss',
      audience: 'aud',
      cacheSize: 0,
    });
    const table: Record<string, { jose: boolean; fastJwt: boolean; interlink: boolean }> = {};
    for (const [name, token] of Object.entries(cases)) {
      table[name] = {
        jose: await refuses(() => jose.jwtVerify(token, joseKey, joseOpts)),
        fastJwt: await refuses(() => fast(token)),
        interlink: await refuses(() => ours.verify(token)),
      };
    }
    for (const [name, row] of Object.entries(table)) expect(row.interlink, name).toBe(true);
    // What each library lets through on its own, configured as strictly as it allows.
    const missed = (lib: 'jose' | 'fastJwt') => Object.keys(table).filter((name) => !table[name]![lib]);
    // jose uses the key it is given and ignores a header `jwk`: harmless there, but nothing refuses it.
    expect(missed('jose')).toEqual(['embedded jwk', 'service token as user token']);
    // fast-jwt checks iss/aud only when present.
    expect(missed('fastJwt')).toEqual([
      'embedded jwk',
      'service token as user token',
      'missing iss/aud (legacy)',
    ]);
  });

  it('the cases are real: the good token passes all three', async () => {
    const token = hs({}, good);
    await jose.jwtVerify(token, createSecretKey(secret), {
      algorithms: ['HS256'],
      issuer: 'iss',
      audience: 'aud',
    });
    createVerifier({
      key: secret,
      algorithms: ['HS256'],
      allowedIss: 'iss',
      allowedAud: 'aud',
      cache: false,
    })(token);
    const ours = createJwtVerifier({
      keys: [{ kid: 'hs', key: secret, secret: true }],
      issuer: 'iss',
      audience: 'aud',
    });
    expect((await ours.verify(token)).principal.userId).toBe('u');
  });
});

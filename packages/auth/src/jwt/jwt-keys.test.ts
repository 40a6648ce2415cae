import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { codeOf, thrownCode } from '../testing/refusal-code.test.helper.js';
import { createJwtKey, type Jwk } from './jwt-keys.js';
import { hasRocaFingerprint, ROCA_FINGERPRINT_PRIMES } from './roca-fingerprint.js';
import { verifyCompactJws } from './verify-compact-jws.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaJwk = rsa.publicKey.export({ format: 'jwk' }) as Jwk & { n: string };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bigintOf = (b64url: string) => BigInt(`0x${Buffer.from(b64url, 'base64url').toString('hex')}`);
const b64urlOf = (n: bigint) => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};

describe('RSA public exponent', () => {
  /**
   * With e = 1, s^e mod n = s, so the "signature" is the PKCS#1 v1.5 encoding of the hash itself:
   * anyone can forge it without any private key.
   */
  function forgeForExponentOne(input: string): Buffer {
    const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
    const t = Buffer.concat([digestInfo, createHash('sha256').update(input).digest()]);
    const k = Buffer.from(rsaJwk.n, 'base64url').length;
    return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(k - t.length - 3, 0xff), Buffer.from([0]), t]);
  }

  it('e = 1 is refused: the forged token is real, node:crypto alone would accept it', async () => {
    const weak: Jwk = { kty: 'RSA', n: rsaJwk.n, e: b64urlOf(1n), kid: 'e1' };
    const input = `${b64({ alg: 'RS256', kid: 'e1' })}.${b64({ sub: 'admin' })}`;
    const forged = forgeForExponentOne(input);
    expect(verify('sha256', Buffer.from(input), createPublicKey({ key: weak, format: 'jwk' }), forged)).toBe(
      true,
    );
    expect(thrownCode(() => createJwtKey({ kid: 'e1', key: weak }))).toBe('ERR_JWT_KEY_WEAK');
  });

  it.each([
    ['3 (legal, weak with lax padding checks)', 3n],
    ['65535', 65535n],
    ['65538 (even)', 65538n],
  ])('e = %s is refused', (_name, e) => {
    expect(thrownCode(() => createJwtKey({ key: { kty: 'RSA', n: rsaJwk.n, e: b64urlOf(e) } }))).toBe(
      'ERR_JWT_KEY_WEAK',
    );
  });

  it('e = 65537 and larger odd exponents are accepted', () => {
    expect(thrownCode(() => createJwtKey({ key: rsaJwk }))).toBe('accepted');
    expect(thrownCode(() => createJwtKey({ key: { kty: 'RSA', n: rsaJwk.n, e: b64urlOf(65539n) } }))).toBe(
      'accepted',
    );
  });
});

describe("a JWK's alg, use and key_ops bind the key", () => {
  const sign = (alg: string) =>
    new jose.SignJWT({ sub: 'u' }).setProtectedHeader({ alg, kid: 'k' }).sign(rsa.privateKey);

  it('a key published for PS512 verifies PS512 only, not RS256', async () => {
    const key = createJwtKey({ kid: 'k', key: { ...rsaJwk, alg: 'PS512' } });
    expect(key.algorithms).toEqual(['PS512']);
    expect(await codeOf(verifyCompactJws(await sign('PS512'), key))).toBe('accepted');
    expect(await codeOf(verifyCompactJws(await sign('RS256'), key))).toBe('ERR_JWT_ALGORITHM');
  });

  it("the JWK's alg narrows the allowlist: none left is a configuration error", () => {
    expect(
      createJwtKey({ key: { ...rsaJwk, alg: 'RS256' }, algorithms: ['RS256', 'PS256'] }).algorithms,
    ).toEqual(['RS256']);
    expect(thrownCode(() => createJwtKey({ key: { ...rsaJwk, alg: 'PS512' }, algorithms: ['RS256'] }))).toBe(
      'ERR_JWT_KEY_ALGORITHM',
    );
    expect(thrownCode(() => createJwtKey({ key: { ...rsaJwk, alg: 'ES256' } }))).toBe(
      'ERR_JWT_KEY_ALGORITHM',
    );
    expect(thrownCode(() => createJwtKey({ key: { ...rsaJwk, alg: 'RSA-OAEP' } }))).toBe(
      'ERR_JWT_KEY_ALGORITHM',
    );
  });

  it.each<[string, Partial<Jwk>, string]>([
    ['key_ops ["encrypt"]', { key_ops: ['encrypt'] }, 'ERR_JWT_KEY_USE'],
    ['key_ops ["sign"]', { key_ops: ['sign'] }, 'ERR_JWT_KEY_USE'],
    ['key_ops not an array', { key_ops: 'verify' as unknown as string[] }, 'ERR_JWT_KEY_USE'],
    ['use "enc"', { use: 'enc' }, 'ERR_JWT_KEY_USE'],
    ['key_ops ["verify"]', { key_ops: ['verify'] }, 'accepted'],
    ['key_ops ["sign", "verify"]', { key_ops: ['sign', 'verify'] }, 'accepted'],
    ['use "sig"', { use: 'sig' }, 'accepted'],
  ])('%s', (_name, members, code) => {
    expect(thrownCode(() => createJwtKey({ kid: 'k', key: { ...rsaJwk, ...members } }))).toBe(code);
  });
});

describe('ROCA fingerprint (CVE-2017-15361)', () => {
  const M = ROCA_FINGERPRINT_PRIMES.reduce((product, p) => product * BigInt(p), 1n);
  const modPow = (base: bigint, exp: bigint, mod: bigint) => {
    let result = 1n;
    for (let b = base % mod, e = exp; e > 0n; e >>= 1n, b = (b * b) % mod)
      if (e & 1n) result = (result * b) % mod;
    return result;
  };

  /** A 2048-bit modulus of the form RSALib's primes give their product: k*M + (65537^a mod M). */
  function rocaModulus(): bigint {
    const top = bigintOf(randomBytes(256).toString('base64url')) | (1n << 2047n);
    const a = bigintOf(randomBytes(8).toString('base64url'));
    let n = top - (top % M) + modPow(65537n, a, M);
    if (n % 2n === 0n) n -= M; // M is odd: this keeps the form and makes n odd
    return n;
  }

  it('flags a modulus of the vulnerable form and refuses it as a key', () => {
    const n = rocaModulus();
    expect(n.toString(2)).toHaveLength(2048);
    expect(hasRocaFingerprint(n)).toBe(true);
    const code = thrownCode(() => createJwtKey({ key: { kty: 'RSA', n: b64urlOf(n), e: 'AQAB' } }));
    expect(code).toBe('ERR_JWT_KEY_WEAK');
  });

  it('passes normal keys, RSA and RSA-PSS', () => {
    for (let i = 0; i < 3; i++) {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      expect(hasRocaFingerprint(bigintOf((publicKey.export({ format: 'jwk' }) as { n: string }).n))).toBe(
        false,
      );
    }
    expect(hasRocaFingerprint(bigintOf(rsaJwk.n))).toBe(false);
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey;
    expect(thrownCode(() => createJwtKey({ key: pss }))).toBe('accepted');
  });

  it('refuses an RSA-PSS key of the vulnerable form too (its modulus is read from the SPKI)', () => {
    const n = rocaModulus();
    // An RSA key with that modulus, re-labelled RSASSA-PSS by swapping the SPKI's algorithm identifier.
    const rsaSpki = createPublicKey({ key: { kty: 'RSA', n: b64urlOf(n), e: 'AQAB' }, format: 'jwk' }).export(
      {
        type: 'spki',
        format: 'der',
      },
    );
    const pssSpki = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    const rsaAlg = Buffer.from('300d06092a864886f70d0101010500', 'hex');
    const pssAlg = Buffer.from('300b06092a864886f70d01010a', 'hex');
    expect(rsaSpki.includes(rsaAlg) && pssSpki.includes(pssAlg)).toBe(true);
    const body = rsaSpki.subarray(4 + rsaAlg.length); // the BIT STRING after the algorithm
    const content = Buffer.concat([pssAlg, body]);
    const der = Buffer.concat([
      Buffer.from([0x30, 0x82, content.length >> 8, content.length & 0xff]),
      content,
    ]);
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    expect(key.asymmetricKeyType).toBe('rsa-pss');
    expect(thrownCode(() => createJwtKey({ key }))).toBe('ERR_JWT_KEY_WEAK');
  });
});

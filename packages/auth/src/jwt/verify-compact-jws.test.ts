import {
  createHmac,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../testing/refusal-code.test.helper.js';
import { JWT_ALGORITHMS, type JwtAlgorithm } from './jws-algorithms.js';
import { createJwtKey } from './jwt-keys.js';
import { verifyCompactJws } from './verify-compact-jws.js';
import { createJwtVerifier } from './verify-jwt.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const ed = generateKeyPairSync('ed25519');
const secret = createSecretKey(randomBytes(64)); // long enough for HS512

/** The key jose signs with and the one we verify with, per algorithm. */
const pairs: Record<JwtAlgorithm, { privateKey: KeyObject; publicKey: KeyObject }> = {
  RS256: rsa,
  RS384: rsa,
  RS512: rsa,
  PS256: rsa,
  PS384: rsa,
  PS512: rsa,
  ES256: p256,
  ES384: p384,
  ES512: p521,
  EdDSA: ed,
  HS256: { privateKey: secret, publicKey: secret },
  HS384: { privateKey: secret, publicKey: secret },
  HS512: { privateKey: secret, publicKey: secret },
};

const NOW = Math.floor(Date.now() / 1000);
const CLAIMS = { sub: 'u-1', tenant_id: 't-1', iss: 'https://idp.test', aud: 'api' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function joseToken(alg: JwtAlgorithm, kid: string = alg): Promise<string> {
  return new jose.SignJWT(CLAIMS)
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuedAt(NOW)
    .setExpirationTime(NOW + 300)
    .sign(pairs[alg].privateKey);
}

function hs256(header: string, payload: string, key: KeyObject = secret): string {
  return `${header}.${payload}.${createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')}`;
}

describe('every algorithm an identity provider publishes, signed by jose', () => {
  const keys = JWT_ALGORITHMS.map((alg) =>
    createJwtKey({ kid: alg, key: pairs[alg].publicKey, algorithms: [alg] }),
  );
  const verifier = createJwtVerifier({ keys, issuer: CLAIMS.iss, audience: CLAIMS.aud });

  it('covers RS, PS and ES 256/384/512, EdDSA and HS 256/384/512', () => {
    expect([...JWT_ALGORITHMS].sort()).toEqual(
      ['RS', 'PS', 'ES', 'HS']
        .flatMap((f) => [`${f}256`, `${f}384`, `${f}512`])
        .concat('EdDSA')
        .sort(),
    );
  });

  it.each(JWT_ALGORITHMS)('%s verifies, through verifyCompactJws and the JWT verifier', async (alg) => {
    const token = await joseToken(alg);
    const { header, payload } = await verifyCompactJws(token, keys);
    expect(header).toMatchObject({ alg, kid: alg });
    expect(JSON.parse(payload.toString())).toMatchObject(CLAIMS);
    expect((await verifier.verify(token)).principal.userId).toBe('u-1');
    // ...and a flipped signature bit does not.
    const [h, p, s] = token.split('.');
    const sig = Buffer.from(s!, 'base64url');
    sig[0]! ^= 1;
    expect(await codeOf(verifyCompactJws(`${h}.${p}.${sig.toString('base64url')}`, keys))).toBe(
      'ERR_JWT_SIGNATURE',
    );
  });

  it('an ES384 token is refused by a P-256 key, and an HS512 token by a 32-byte secret', async () => {
    const token = await joseToken('ES384', 'k');
    const p256Key = createJwtKey({ kid: 'k', key: p256.publicKey });
    expect(p256Key.algorithms).toEqual(['ES256']);
    expect(await codeOf(verifyCompactJws(token, p256Key))).toBe('ERR_JWT_ALGORITHM');
    const short = createJwtKey({ kid: 'HS512', key: randomBytes(32), secret: true });
    expect(short.algorithms).toEqual(['HS256']);
    expect(await codeOf(verifyCompactJws(await joseToken('HS512'), short))).toBe('ERR_JWT_ALGORITHM');
    expect(createJwtKey({ key: randomBytes(48), secret: true }).algorithms).toEqual(['HS256', 'HS384']);
  });

  it('keys below the minimum or on another curve are refused when configured', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => createJwtKey({ key: small })).toThrow(expect.objectContaining({ code: 'ERR_JWT_KEY_WEAK' }));
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
    expect(() => createJwtKey({ key: k1 })).toThrow(
      expect.objectContaining({ code: 'ERR_JWT_KEY_ALGORITHM' }),
    );
    const ed448 = generateKeyPairSync('ed448').publicKey;
    expect(() => createJwtKey({ key: ed448 })).toThrow(
      expect.objectContaining({ code: 'ERR_JWT_KEY_ALGORITHM' }),
    );
    expect(() => createJwtKey({ key: p256.publicKey, algorithms: ['ES256K' as JwtAlgorithm] })).toThrow(
      expect.objectContaining({ code: 'ERR_JWT_KEY_ALGORITHM' }),
    );
  });

  it('an RSA-PSS key whose hash is pinned verifies only the matching PS algorithm', async () => {
    const pss = generateKeyPairSync('rsa-pss', {
      modulusLength: 2048,
      hashAlgorithm: 'sha384',
      mgf1HashAlgorithm: 'sha384',
    });
    const key = createJwtKey({ kid: 'pss', key: pss.publicKey });
    expect(key.algorithms).toEqual(['PS384']);
    // jose signs with RSA-PSS keys only as RSA keys, so this one is signed with node:crypto.
    const input = `${b64({ alg: 'PS384', kid: 'pss' })}.${b64(CLAIMS)}`;
    const token = `${input}.${sign('sha384', Buffer.from(input), pss.privateKey).toString('base64url')}`;
    expect((await verifyCompactJws(token, key)).header.alg).toBe('PS384');
  });
});

describe('algorithms outside the table are refused by name', () => {
  const key = createJwtKey({ kid: 'hs', key: secret, secret: true });
  it.each(['none', 'None', 'RSA1_5', 'RSA-OAEP', 'ES256K', 'Ed448', 'HS1', 'RS1', 'dir', 'constructor', ''])(
    '%s',
    async (alg) => {
      const token = hs256(b64({ alg, kid: 'hs' }), b64(CLAIMS));
      expect(await codeOf(verifyCompactJws(token, key))).toBe('ERR_JWT_ALGORITHM');
    },
  );
});

describe('non-canonical base64url is refused in every segment', () => {
  const key = createJwtKey({ kid: 'hs', key: secret, secret: true });
  // Segments whose length is not a multiple of 3 bytes end in a character with 2 or 4 unused bits.
  const header = b64({ alg: 'HS256', kid: 'hs' });
  const payload = b64({ ...CLAIMS, x: 'ab' });
  const good = hs256(header, payload);
  const [, , signature] = good.split('.');

  /** The same bytes, spelled with the last character's unused bits set. */
  const dirtyTail = (segment: string) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(segment.at(-1)!);
    const unused = segment.length % 4 === 2 ? 0x0f : 0x03;
    return segment.slice(0, -1) + alphabet[last | unused]!;
  };

  /** A token whose signature has a `-` or `_`, spelled with base64's `+` and `/` instead. */
  const withBase64Signature = () => {
    for (let i = 0; ; i++) {
      const token = hs256(header, b64({ ...CLAIMS, i }));
      const [h, p, s] = token.split('.');
      if (/[-_]/.test(s!)) return `${h}.${p}.${s!.replace(/-/g, '+').replace(/_/g, '/')}`;
    }
  };

  it('the canonical token verifies, and the segments have spare bits to abuse', async () => {
    expect(await codeOf(verifyCompactJws(good, key))).toBe('accepted');
    for (const segment of [header, payload, signature!]) expect(segment.length % 4).not.toBe(0);
  });

  it.each<[string, () => string]>([
    ['padding on the header', () => hs256(`${header}=`, payload)],
    ['padding on the payload', () => hs256(header, `${payload}=`)],
    ['padding on the signature', () => `${good}=`],
    ['non-zero trailing bits in the header', () => hs256(dirtyTail(header), payload)],
    ['non-zero trailing bits in the payload', () => hs256(header, dirtyTail(payload))],
    ['non-zero trailing bits in the signature', () => `${header}.${payload}.${dirtyTail(signature!)}`],
    ['+ and / in the signature (base64, not base64url)', () => withBase64Signature()],
    ['a space in the signature', () => `${good.slice(0, -2)} ${good.slice(-2)}`],
  ])('%s', async (_name, make) => {
    expect(await codeOf(verifyCompactJws(make(), key))).toBe('ERR_JWT_MALFORMED');
  });

  // Node's decoder reads them as the canonical bytes: only our check refuses the twins.
  it('the trailing-bit twins decode to the very bytes of the canonical token', () => {
    for (const segment of [header, payload, signature!]) {
      expect(Buffer.from(dirtyTail(segment), 'base64url').equals(Buffer.from(segment, 'base64url'))).toBe(
        true,
      );
    }
  });
});

describe('verifyCompactJws apart from the claims', () => {
  const key = createJwtKey({ kid: 'ed', key: ed.publicKey });

  it('returns the payload bytes of a JWS that is not a JWT, untouched', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const token = await new jose.CompactSign(bytes)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed' })
      .sign(ed.privateKey);
    const verified = await verifyCompactJws(token, key);
    expect(verified.payload.equals(bytes)).toBe(true);
    expect(verified.key).toBe(key);
  });

  it('applies no claim policy (an expired JWT still has a valid signature), unlike the JWT verifier', async () => {
    const token = await new jose.SignJWT({ ...CLAIMS, iat: NOW - 7200, exp: NOW - 3600 })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed' })
      .sign(ed.privateKey);
    expect(await codeOf(verifyCompactJws(token, [key]))).toBe('accepted');
    const verifier = createJwtVerifier({ keys: [key], issuer: CLAIMS.iss, audience: CLAIMS.aud });
    expect(await codeOf(verifier.verify(token))).toBe('ERR_JWT_EXPIRED');
  });

  it('finds keys by kid, from a list or a resolver, and refuses an unknown kid', async () => {
    const other = createJwtKey({ kid: 'other', key: p256.publicKey });
    const token = await new jose.CompactSign(Buffer.from('x'))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed' })
      .sign(ed.privateKey);
    expect((await verifyCompactJws(token, [other, key])).key).toBe(key);
    expect((await verifyCompactJws(token, async (h) => (h.kid === 'ed' ? key : undefined))).key).toBe(key);
    expect(await codeOf(verifyCompactJws(token, [other]))).toBe('ERR_JWT_UNKNOWN_KID');
    expect(await codeOf(verifyCompactJws(token, other))).toBe('ERR_JWT_UNKNOWN_KID');
  });
});

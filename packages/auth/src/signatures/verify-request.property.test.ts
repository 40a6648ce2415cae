import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { parseDictionary } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { createJwtVerifier } from '../jwt/verify-jwt.js';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { verifyContentDigest } from './content-digest.js';
import { dictionaryKeys } from './dictionary-keys.js';
import type { SignableRequest } from './http-message.js';
import { signRequest } from './sign-request.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { verifyRequest } from './verify-request.js';

const secret = randomBytes(32);
const key = createSigningKey({ keyId: 'k1', alg: 'hmac-sha256', secret });
const options = {
  keys: createKeyring([{ keyId: 'k1', service: 'svc', alg: 'hmac-sha256' as const, secret }]),
  nonceStore: createMemoryNonceStore({ maxEntries: 1_000_000 }),
};
const base: SignableRequest = {
  method: 'POST',
  url: '/a/b?c=d',
  headers: { host: 'svc', 'content-type': 'application/json', 'x-tenant-id': 't1' },
  body: '{"a":1}',
};
const valid: Record<string, string> = {
  ...(base.headers as Record<string, string>),
  ...signRequest(base, { key, expiresInSeconds: 300 }),
};

function sameSignatureBytes(a: string, b: string): boolean {
  try {
    const bytes = (v: string) => Buffer.from(parseDictionary(v).get('interlink')![0] as ArrayBuffer);
    return bytes(a).equals(bytes(b));
  } catch {
    return false;
  }
}

/** Resolves to 'ok' or the AuthError code; anything else thrown fails the property. */
async function outcome(request: SignableRequest, fresh = false): Promise<string> {
  try {
    // A fresh nonce store when the same signature is tried many times, or the replay check would
    // refuse every attempt after the first and hide what the signature check does.
    await verifyRequest(request, fresh ? { ...options, nonceStore: createMemoryNonceStore() } : options);
    return 'ok';
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
}

// Characters that matter to structured fields, mixed with anything.
const sfChars = fc.constantFrom(...'()"\\;=,:*?@-_. aZ09\t/+'.split(''));
const sfString = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: sfChars, maxLength: 200 }));

describe('property: nothing thrown but AuthError (100,000 inputs in all)', () => {
  it('structured-field helpers never throw anything else (50,000)', () => {
    fc.assert(
      fc.property(sfString, fc.uint8Array({ maxLength: 64 }), (text, body) => {
        dictionaryKeys(text);
        try {
          verifyContentDigest(text, body);
        } catch (error) {
          if (!(error instanceof AuthError)) throw error;
        }
      }),
      { numRuns: 50_000 },
    );
  }, 120_000);

  it('verifyRequest on random Signature-Input / Signature / Content-Digest values (30,000)', async () => {
    await fc.assert(
      fc.asyncProperty(sfString, sfString, fc.option(sfString), async (input, signature, digest) => {
        const headers: Record<string, string> = { ...valid, 'signature-input': input, signature };
        if (digest !== null) headers['content-digest'] = digest;
        expect(await outcome({ ...base, headers })).not.toBe('ok');
      }),
      { numRuns: 30_000 },
    );
  }, 120_000);

  it('the valid request itself is accepted (so the mutation property is not vacuous)', async () => {
    expect(await outcome({ ...base, headers: valid }, true)).toBe('ok');
  });

  it('verifyRequest on one-character mutations of a valid signature (10,000): never accepted', async () => {
    const fields = ['signature-input', 'signature', 'content-digest', 'x-tenant-id', 'host'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }),
        async (field, at, ch) => {
          const value = String(valid[field]);
          const i = at % value.length;
          const mutated = value.slice(0, i) + ch + value.slice(i + 1);
          // Equivalent values are not tampering: the authority is case-insensitive (`sVc` is the
          // same host), and RFC 8941 §4.2.7 has base64 pad bits ignored (same signature bytes).
          if (field === 'host' ? mutated.toLowerCase() === value : mutated === value) return;
          if (field === 'signature' && sameSignatureBytes(mutated, value)) return;
          expect(await outcome({ ...base, headers: { ...valid, [field]: mutated } }, true)).not.toBe('ok');
        },
      ),
      { numRuns: 10_000 },
    );
  }, 120_000);

  it('the JWT verifier on random tokens (10,000)', async () => {
    const verifier = createJwtVerifier({
      keys: [{ kid: 'k', key: secret, secret: true }],
      issuer: 'i',
      audience: 'a',
    });
    const segment = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.base64String({ maxLength: 80 }).map((s) => s.replace(/=+$/, '')),
    );
    const jsonSegment = fc.json().map((j) => Buffer.from(j).toString('base64url'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(segment, jsonSegment),
        fc.oneof(segment, jsonSegment),
        segment,
        async (h, p, s) => {
          try {
            await verifier.verify(`${h}.${p}.${s}`);
            throw new Error('a random token was accepted');
          } catch (error) {
            if (!(error instanceof AuthError)) throw error;
          }
        },
      ),
      { numRuns: 10_000 },
    );
  }, 120_000);
});

import { createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto';
import { type InnerList, parseDictionary } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { signBase, verifyBase } from './algorithms.js';
import {
  B2,
  ECC_P256_PUBLIC,
  ED25519_PRIVATE,
  ED25519_PUBLIC,
  RSA_PSS_PUBLIC,
  SHARED_SECRET,
  testRequest,
} from './rfc9421-examples.test.helper.js';
import { buildSignatureBase, component } from './signature-base.js';

/** Rebuilds the signature base from the request and the RFC's Signature-Input member. */
function baseFor(signatureInput: string, label: string): string {
  const member = parseDictionary(signatureInput).get(label) as InnerList;
  return buildSignatureBase(testRequest, member[0], member[1]).base;
}

function signatureOf(header: string, label: string): Uint8Array {
  return new Uint8Array(parseDictionary(header).get(label)![0] as ArrayBuffer);
}

describe('RFC 9421 Appendix B.2', () => {
  it('B.2.5 hmac-sha256: reproduces the signature base and the signature byte for byte', () => {
    const { base, signatureParams } = buildSignatureBase(
      testRequest,
      [component('date'), component('@authority'), component('content-type')],
      new Map<string, string | number>([
        ['created', 1618884473],
        ['keyid', 'test-shared-secret'],
      ]),
    );
    expect(base).toBe(
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@authority": example.com',
        '"content-type": application/json',
        '"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
      ].join('\n'),
    );
    expect(`sig-b25=${signatureParams}`).toBe(
      'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
    );
    const signature = signBase('hmac-sha256', createSecretKey(SHARED_SECRET), base);
    expect(signature.toString('base64')).toBe('pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=');
  });

  it('B.2.6 ed25519: reproduces the signature base and the signature byte for byte', () => {
    const { base, signatureParams } = buildSignatureBase(
      testRequest,
      ['date', '@method', '@path', '@authority', 'content-type', 'content-length'].map(component),
      new Map<string, string | number>([
        ['created', 1618884473],
        ['keyid', 'test-key-ed25519'],
      ]),
    );
    expect(signatureParams).toBe(
      '("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    );
    expect(base.split('\n').slice(0, 6)).toEqual([
      '"date": Tue, 20 Apr 2021 02:07:55 GMT',
      '"@method": POST',
      '"@path": /foo',
      '"@authority": example.com',
      '"content-type": application/json',
      '"content-length": 18',
    ]);
    const signature = signBase('ed25519', createPrivateKey(ED25519_PRIVATE), base);
    expect(signature.toString('base64')).toBe(
      'wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==',
    );
    expect(verifyBase('ed25519', createPublicKey(ED25519_PUBLIC), base, signature)).toBe(true);
  });

  it('B.2.1 rsa-pss-sha512, minimal coverage: verifies', () => {
    const { input, signature } = B2.b21;
    const base = baseFor(input, 'sig-b21');
    expect(base).toBe(
      '"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
    );
    const key = createPublicKey(RSA_PSS_PUBLIC);
    expect(verifyBase('rsa-pss-sha512', key, base, signatureOf(signature, 'sig-b21'))).toBe(true);
    expect(verifyBase('rsa-pss-sha512', key, `${base} `, signatureOf(signature, 'sig-b21'))).toBe(false);
  });

  it('B.2.2 rsa-pss-sha512, selective coverage with @query-param: verifies', () => {
    const { input, signature } = B2.b22;
    const base = baseFor(input, 'sig-b22');
    expect(base.split('\n')[2]).toBe('"@query-param";name="Pet": dog');
    expect(
      verifyBase('rsa-pss-sha512', createPublicKey(RSA_PSS_PUBLIC), base, signatureOf(signature, 'sig-b22')),
    ).toBe(true);
  });

  it('B.2.3 rsa-pss-sha512, full coverage: verifies', () => {
    const { input, signature } = B2.b23;
    const base = baseFor(input, 'sig-b23');
    expect(base.split('\n')[3]).toBe('"@query": ?param=Value&Pet=dog');
    expect(
      verifyBase('rsa-pss-sha512', createPublicKey(RSA_PSS_PUBLIC), base, signatureOf(signature, 'sig-b23')),
    ).toBe(true);
  });

  it('B.2.4 ecdsa-p256-sha256 over the test response: verifies (base given, responses are not built here)', () => {
    const base = [
      '"@status": 200',
      '"content-type": application/json',
      '"content-digest": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:',
      '"content-length": 23',
      '"@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"',
    ].join('\n');
    const signature = Buffer.from(
      'wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw==',
      'base64',
    );
    const key = createPublicKey(ECC_P256_PUBLIC);
    expect(verifyBase('ecdsa-p256-sha256', key, base, signature)).toBe(true);
    expect(verifyBase('ecdsa-p256-sha256', key, base.replace('200', '201'), signature)).toBe(false);
  });
});

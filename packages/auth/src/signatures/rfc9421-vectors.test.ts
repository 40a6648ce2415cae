import { createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto';
import { type InnerList, parseDictionary } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { signBase, verifyBase } from './algorithms.js';
import type { SignableRequest } from './http-message.js';
import { buildSignatureBase, component } from './signature-base.js';

// RFC 9421 Appendix B.1 keys and B.2 messages. The RFC's text wraps long lines (RFC 8792); the
// values here are unwrapped. Each signature is checked cryptographically, so a transcription error
// cannot pass.
const RSA_PSS_PUBLIC = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
+QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
2wIDAQAB
-----END PUBLIC KEY-----`;
const ECC_P256_PUBLIC = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqIVYZVLCrPZHGHjP17CTW0/+D9Lf
w0EkjqF7xB4FivAxzic30tMM4GF+hR6Dxh71Z50VGGdldkkDXZCnTNnoXQ==
-----END PUBLIC KEY-----`;
const ED25519_PRIVATE = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----`;
const ED25519_PUBLIC = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----`;
const SHARED_SECRET = Buffer.from(
  'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==',
  'base64',
);

const CONTENT_DIGEST =
  'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';

/** B.2's test-request. */
const testRequest: SignableRequest = {
  method: 'POST',
  url: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    host: 'example.com',
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-digest': CONTENT_DIGEST,
    'content-length': '18',
  },
  body: '{"hello": "world"}',
};

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
    const input = 'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"';
    const signature =
      'sig-b21=:d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q==:';
    const base = baseFor(input, 'sig-b21');
    expect(base).toBe(
      '"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
    );
    const key = createPublicKey(RSA_PSS_PUBLIC);
    expect(verifyBase('rsa-pss-sha512', key, base, signatureOf(signature, 'sig-b21'))).toBe(true);
    expect(verifyBase('rsa-pss-sha512', key, `${base} `, signatureOf(signature, 'sig-b21'))).toBe(false);
  });

  it('B.2.2 rsa-pss-sha512, selective coverage with @query-param: verifies', () => {
    const input =
      'sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"';
    const signature =
      'sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:';
    const base = baseFor(input, 'sig-b22');
    expect(base.split('\n')[2]).toBe('"@query-param";name="Pet": dog');
    expect(
      verifyBase('rsa-pss-sha512', createPublicKey(RSA_PSS_PUBLIC), base, signatureOf(signature, 'sig-b22')),
    ).toBe(true);
  });

  it('B.2.3 rsa-pss-sha512, full coverage: verifies', () => {
    const input =
      'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"';
    const signature =
      'sig-b23=:bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA==:';
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

import { generateKeyPairSync } from 'node:crypto';
import {
  createKeyring,
  createMemoryNonceStore,
  createMessageSigningKey,
  createRequestVerifier,
  signMessage,
  signResponse,
  verifyResponse,
} from '@interlink/auth';

// A partner signs with its own RFC 9421 profile: Ed25519, tag "partner", no nonce or expires.
const partnerKeys = generateKeyPairSync('ed25519');
const publicKey = partnerKeys.publicKey;
const key = createMessageSigningKey({
  keyId: 'partner-2026',
  alg: 'ed25519',
  privateKey: partnerKeys.privateKey,
});
const body = JSON.stringify({ order: 'o-1' });
const request = {
  method: 'POST',
  url: 'https://api.example.com/orders?source=partner',
  headers: { 'content-type': 'application/json' },
  body,
};
const nonceStore = createMemoryNonceStore();
const keys = createKeyring([
  { keyId: 'partner-2026', service: 'partner', alg: 'ed25519' as const, publicKey },
]);

// #region readme
// A partner's signatures: their tag, no nonce or expires, what they must cover, bound to our name.
const partner = createRequestVerifier({
  keys,
  authority: 'api.example.com',
  profile: {
    tag: 'partner',
    required: ['@method', '@authority', '@path', '@query', 'content-digest'],
    maxAgeSeconds: 120, // how old `created` may be
    requireNonce: false,
  },
  nonceStore, // nonces that are present are still claimed
});

// Any profile's signer, the RFC's examples included (label, components, parameters in order):
const headers = signMessage(
  request,
  {
    label: 'sig1',
    components: ['@method', '@authority', '@path', '@query', 'content-digest', 'content-type'],
    parameters: ['created', 'keyid', 'tag'],
    tag: 'partner',
  },
  { key },
);
const verified = await partner({ ...request, headers: { ...request.headers, ...headers } });

// Responses (RFC 9421 §2.4): @status, digest, content type, and the request's method and target (;req).
const response = {
  status: 201,
  headers: { 'content-type': 'application/json' },
  body: '{"id":"o-1"}',
  request,
};
const signed = signResponse(response, { key });
await verifyResponse({ ...response, headers: { ...response.headers, ...signed } }, { keys });
// #endregion readme

console.log(verified.service, verified.covered.length); // partner 6

import { constants, createHmac, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import { JWS_ALGORITHM_SPECS, type JwtAlgorithm } from './jws-algorithms.js';

/** Checks a JWS signature over its signing input (`header.payload`, ASCII). */
export type JwsSignatureCheck = (signingInput: string, signature: Buffer) => boolean;

/**
 * The signature check of RFC 7518 §3 for one key and one algorithm, straight on `node:crypto`
 * (what jose and fast-jwt call too). The key must already be bound to the algorithm
 * (`createJwtKey` does that); this only picks the padding and encoding the algorithm names.
 */
export function createJwsSignatureCheck(key: KeyObject, alg: JwtAlgorithm): JwsSignatureCheck {
  const spec = JWS_ALGORITHM_SPECS[alg];
  switch (spec.family) {
    case 'hmac': {
      const hash = spec.hash!;
      return (input, signature) => {
        if (signature.length !== spec.hashBytes) return false;
        return timingSafeEqual(createHmac(hash, key).update(input, 'latin1').digest(), signature);
      };
    }
    case 'rsa':
      return (input, signature) => verify(spec.hash, Buffer.from(input, 'latin1'), key, signature);
    case 'rsa-pss': {
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
      const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.hashBytes };
      return (input, signature) => verify(spec.hash, Buffer.from(input, 'latin1'), options, signature);
    }
    case 'ec': {
      // JWS carries r||s of fixed length, not DER (RFC 7518 §3.4).
      const options = { key, dsaEncoding: 'ieee-p1363' as const };
      return (input, signature) =>
        signature.length === spec.signatureBytes &&
        verify(spec.hash, Buffer.from(input, 'latin1'), options, signature);
    }
    case 'eddsa':
      return (input, signature) => verify(null, Buffer.from(input, 'latin1'), key, signature);
  }
}

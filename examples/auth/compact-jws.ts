import { createHmac, randomBytes } from 'node:crypto';
import { createJwtKey, verifyCompactJws } from '@interlink/auth';

// A detached-format issuer signs with HS256 under an `oct` JWK (32+ random bytes).
const secret = randomBytes(32);
const jwk = { kty: 'oct', k: secret.toString('base64url'), alg: 'HS256' };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const input = `${encode({ alg: 'HS256', kid: 'k1', typ: 'receipt+jws' })}.${encode({ receipt: 'r-1', amount: 4200 })}`;
const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;

// #region readme
// The signature layer alone, for JWS formats that are not JWTs (the JWT verifier sits on it):
const { header, payload } = await verifyCompactJws(token, [createJwtKey({ kid: 'k1', key: jwk })]);
// #endregion readme

console.log(header.typ, payload); // receipt+jws { receipt: 'r-1', amount: 4200 }

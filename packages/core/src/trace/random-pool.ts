import { randomBytes } from 'node:crypto';

/**
 * Random strings cut from a pool of cryptographically random bytes refilled `poolBytes` at a time:
 * one `randomBytes` call (a few µs, mostly fixed cost) per pool instead of one per value, the trick
 * Node's `randomUUID` uses. Each byte is handed out once. Give each user its own pool when values
 * are secrets (signature nonces) so no other code shares their bytes.
 */
export function createRandomPool(poolBytes = 4096): (bytes: number, encoding: 'hex' | 'base64url') => string {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return (bytes, encoding) => {
    if (offset + bytes > pool.length) {
      pool = randomBytes(Math.max(poolBytes, bytes));
      offset = 0;
    }
    const value = pool.toString(encoding, offset, offset + bytes);
    offset += bytes;
    return value;
  };
}

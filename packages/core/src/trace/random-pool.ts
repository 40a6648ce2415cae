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

/**
 * Random lower-case hex strings of `chars` characters, cut from a pool of `poolBytes` random bytes
 * that is hex-encoded once per refill. Cutting an id is then a substring of that string rather than
 * a Buffer-to-hex conversion per id (a C++ call costing about 1,200 instructions, callgrind on
 * bench/service-kit.mjs). A cut id may share its characters with the pool's string, so a long-lived
 * id can keep one pool's string (2 × `poolBytes` bytes) alive; ids here are small and short-lived.
 */
export function createHexPool(poolBytes = 4096): (chars: number) => string {
  let pool = '';
  let offset = 0;
  return (chars) => {
    if (offset + chars > pool.length) {
      pool = randomBytes(Math.max(poolBytes, Math.ceil(chars / 2))).toString('hex');
      offset = 0;
    }
    const value = pool.slice(offset, offset + chars);
    offset += chars;
    return value;
  };
}

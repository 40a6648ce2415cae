import type { JwtAlgorithm, JwtKeySource } from '@interlink/auth';

/**
 * A key source whose keys verify only `algorithms` (`JWT_ALGORITHMS`): a JWKS key is otherwise
 * bound to every algorithm its type allows (RSA: RS256-512 and PS256-512). A key left with none is
 * unknown. Key withdrawals still reach verifiers, so they drop the tokens cached under them.
 */
export function restrictJwtAlgorithms(
  source: JwtKeySource,
  algorithms: readonly JwtAlgorithm[],
): JwtKeySource {
  const restricted: JwtKeySource = {
    async getKey(kid) {
      const key = await source.getKey(kid);
      if (!key) return undefined;
      const allowed = key.algorithms.filter((alg) => algorithms.includes(alg));
      return allowed.length === 0 ? undefined : { kid: key.kid, algorithms: allowed, verify: key.verify };
    },
  };
  if (source.onKeysRemoved) restricted.onKeysRemoved = (listener) => source.onKeysRemoved?.(listener);
  return restricted;
}

import type { JwtAlgorithm, JwtKeySource } from '@interlink/auth';

/**
 * A key source whose keys verify only `algorithms` (`JWT_ALGORITHMS`): a JWKS key is otherwise
 * bound to every algorithm its type allows (RSA: RS256 and PS256). A key left with none is unknown.
 */
export function restrictJwtAlgorithms(
  source: JwtKeySource,
  algorithms: readonly JwtAlgorithm[],
): JwtKeySource {
  return {
    async getKey(kid) {
      const key = await source.getKey(kid);
      if (!key) return undefined;
      const allowed = key.algorithms.filter((alg) => algorithms.includes(alg));
      return allowed.length === 0 ? undefined : { kid: key.kid, algorithms: allowed, verify: key.verify };
    },
  };
}

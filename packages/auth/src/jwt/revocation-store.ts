/** The facts about a token a revocation check needs. */
export interface RevocationSubject {
  jti?: string | undefined;
  userId?: string | undefined;
  /** `iat`, epoch seconds. */
  issuedAt: number;
}

/**
 * Revoked tokens: a `jti` denylist (kept until the token would expire anyway) and a per-user
 * "issued before" cut-off (logout everywhere, password change).
 */
export interface RevocationStore {
  /** True when the token's `jti` is denied or it was issued before its user's cut-off. */
  isRevoked(subject: RevocationSubject): Promise<boolean>;
  /** Denies one token id until `expiresAt` (epoch seconds, the token's `exp`). */
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  /** Revokes every token of `userId` whose `iat` is before `cutoff` (epoch seconds). */
  revokeTokensIssuedBefore(userId: string, cutoff: number): Promise<void>;
}

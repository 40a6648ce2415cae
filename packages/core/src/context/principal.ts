/**
 * Who is making a request, after authentication. User tokens, service signatures and service tokens
 * all end up here, so authorization code reads one shape whatever the scheme.
 */
export interface Principal {
  /** `user` for an end user's token, `service` for a signed service request or a service token. */
  kind: 'user' | 'service';
  /** The end user's id; set for users, and for services acting on a user's behalf. */
  userId?: string;
  /** The tenant, always from a verified credential, never from a plain request header. */
  tenantId?: string;
  /** The calling service's name, for service principals. */
  service?: string;
  roles: readonly string[];
  permissions: readonly string[];
  /** The credential's id (`jti`, key id, nonce), for audit and revocation. */
  tokenId?: string;
  /** Which scheme authenticated the caller, e.g. `jwt`, `rfc9421`, `service-token`, `legacy-hmac-002`. */
  scheme: string;
}

/** A calling service: a signed request, a service token, a mesh or legacy identity. */
export interface ServicePrincipal extends Principal {
  kind: 'service';
  service: string;
}

/** An end user, from a user token. */
export interface UserPrincipal extends Principal {
  kind: 'user';
  userId: string;
}

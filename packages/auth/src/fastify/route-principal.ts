import type { Principal, ServicePrincipal, UserPrincipal } from '@interlink/core';

/** Which credentials a route accepts. */
export type AuthKind = 'user' | 'service';

/** The principal a route that accepts `Kind` hands its handler: a user, a service, or either. */
export type PrincipalFor<Kind extends AuthKind> = Kind extends 'service'
  ? ServicePrincipal
  : Kind extends 'user'
    ? UserPrincipal
    : never;

/**
 * `request.principal` on a route whose `config` has the type `Config`: present, and of the kinds
 * its literal `auth` names, when the route requires authentication; `Principal | undefined`
 * elsewhere (public routes, app-wide hooks, handlers typed without their route's config).
 */
export type RoutePrincipal<Config> = Config extends { auth: infer Auth }
  ? Auth extends AuthKind
    ? PrincipalFor<Auth>
    : Auth extends readonly (infer Kind extends AuthKind)[]
      ? PrincipalFor<Kind>
      : Principal | undefined
  : Principal | undefined;

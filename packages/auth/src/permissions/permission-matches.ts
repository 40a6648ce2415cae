/**
 * True when `granted` covers `required`: equal, `*` (everything), or a `prefix:*` wildcard that
 * covers every permission under that prefix (`webhooks:*` covers `webhooks:receive` and
 * `webhooks:stripe:replay`, not `webhooksx:read`). Wildcards are only honoured in grants.
 */
export function permissionMatches(granted: string, required: string): boolean {
  if (granted === required || granted === '*') return true;
  if (granted.endsWith(':*')) return required.startsWith(granted.slice(0, -1));
  return false;
}

/** True when any of `granted` covers `required`. */
export function hasPermission(granted: readonly string[], required: string): boolean {
  for (const g of granted) if (permissionMatches(g, required)) return true;
  return false;
}

/**
 * A covered component: its name and its parameters (`req`, `key`, `name`, `sf`, `bs`, `tr`), the
 * shape of an RFC 8941 item as in the `Signature-Input` inner list. Declared here, not as
 * `structured-headers`' `Item`, whose declarations name the DOM's `BufferSource`: the published
 * types of a public signature must compile in a Node-only project (`skipLibCheck: false`).
 */
export type ComponentId = [string, Map<string, string | boolean>];

/** A component without parameters, e.g. `component('@method')`. */
export function component(name: string): ComponentId {
  return [name, new Map()];
}

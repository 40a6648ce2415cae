/**
 * Paths the gateway must refuse, with the code it answers: `ERR_GATEWAY_PATH_REJECTED` from its
 * own path check, `ERR_GATEWAY_URL_MALFORMED` where the router cannot percent-decode the path at
 * all (then the path check refuses it too). Shared by the unit test of `upstreamPath` and the test
 * on a running gateway.
 */
export const TRAVERSALS: ReadonlyArray<{ path: string; why: string; code?: 'ERR_GATEWAY_URL_MALFORMED' }> = [
  { path: '/api/../admin', why: 'dot-dot segment' },
  { path: '/api/orders/../../admin', why: 'dot-dot segments' },
  { path: '/api/./orders', why: 'dot segment' },
  { path: '/api/%2e%2e/admin', why: 'encoded dots' },
  { path: '/api/%2E%2E/admin', why: 'encoded dots, upper case' },
  { path: '/api/.%2e/admin', why: 'half-encoded dots' },
  { path: '/api/orders/..%2f..%2fadmin', why: 'encoded slash after dots' },
  { path: '/api/%252e%252e/admin', why: 'double-encoded dots' },
  { path: '/api/%25252e%25252e/admin', why: 'triple-encoded dots' },
  { path: '/api/%2525252e', why: 'a fourth layer of encoding' },
  { path: '/api/orders\\..\\admin', why: 'backslashes' },
  { path: '/api/orders%5c..%5cadmin', why: 'encoded backslashes' },
  { path: '/api//admin', why: 'empty segment' },
  { path: '/api/orders/%2f%2fadmin', why: 'encoded empty segment' },
  { path: '/api/orders%00.json', why: 'NUL' },
  { path: '/api/..;/admin', why: 'Tomcat path parameter on dot-dot' },
  { path: '/api/..;jsessionid=x/admin', why: 'Tomcat path parameter with a value' },
  { path: '/api/orders/.;/admin', why: 'Tomcat path parameter on a dot' },
  { path: '/api/%2e%2e;/admin', why: 'encoded dots with a path parameter' },
  { path: '/api/..%3b/admin', why: 'dot-dot with an encoded semicolon' },
  { path: '/api/%EF%BC%8E%EF%BC%8E/admin', why: 'full-width dots (U+FF0E)' },
  { path: '/api/%ef%bc%8e%ef%bc%8e/admin', why: 'full-width dots, lower-case escapes' },
  { path: '/api/.%EF%BC%8E/admin', why: 'a dot and a full-width dot' },
  { path: '/api/%25EF%25BC%258E%25EF%25BC%258E/admin', why: 'double-encoded full-width dots' },
  { path: '/api/%EF%BC%8E%EF%BC%8E;/admin', why: 'full-width dots with a path parameter' },
  { path: '/api/%E2%80%A4%E2%80%A4/admin', why: 'one-dot leaders (U+2024)' },
  { path: '/api/%EF%B9%92%EF%B9%92/admin', why: 'small full stops (U+FE52)' },
  { path: '/api/orders%EF%BC%8F..%EF%BC%8Fadmin', why: 'full-width solidus (U+FF0F)' },
  { path: '/api/orders%EF%BC%BC..%EF%BC%BCadmin', why: 'full-width reverse solidus (U+FF3C)' },
  { path: '/api/%c0%ae%c0%ae/admin', why: 'overlong UTF-8 dots', code: 'ERR_GATEWAY_URL_MALFORMED' },
  { path: '/api/%u002e%u002e/admin', why: 'IIS %u escapes', code: 'ERR_GATEWAY_URL_MALFORMED' },
];

/** Paths that look odd and are fine: they go upstream as sent. */
export const SAFE_PATHS: readonly string[] = [
  '/api/orders/a%20b',
  '/api/orders/v1.2',
  '/api/orders;v=1',
  '/api/caf%C3%A9',
  '/api/files/%EF%BC%8Enotes',
];

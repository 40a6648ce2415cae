/** The parts of one attempt that a signature covers. */
export interface SignableRequest {
  method: string;
  /** The full target URL of this attempt (`https://host:port/path?query`): RFC 9421's `@target-uri`. */
  url: string;
  /** `scheme://host:port` of the target, the same string on every call: `url` is `origin + path`. */
  origin: string;
  /** The path and query as sent on the request line: RFC 9421's `@path` and `@query`. */
  path: string;
  /** Every header the attempt will send, lower-case names, propagation headers included. */
  headers: Readonly<Record<string, string>>;
  /** The body bytes; `undefined` when there is no body or it is streamed. */
  body: Uint8Array | undefined;
  /** True when the body is a stream the signer cannot see (it cannot be digested). */
  streamedBody: boolean;
}

/**
 * Signs outbound requests. Called once per attempt, inside the retry loop, so every attempt gets a
 * fresh nonce and `created` time. Returns the headers to add (for RFC 9421: `signature`,
 * `signature-input` and `content-digest`). `@interlink/auth` provides the real signers.
 */
export interface RequestSigner {
  sign(request: SignableRequest): Record<string, string> | Promise<Record<string, string>>;
}

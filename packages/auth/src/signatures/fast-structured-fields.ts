import type { BareItem, Dictionary, Item } from 'structured-headers';

// Fast paths for the exact shapes Interlink's signer writes, parsed with strict regular expressions.
// Anything else (whitespace, escapes, several members, other item types) returns undefined and goes
// to the full RFC 8941 parser in `structured-headers`. Written because those parses were a third of
// the verifier's time; `fast-structured-fields.test.ts` holds both paths equal on generated input.

const KEY = '[a-z*][a-z0-9_.*-]*';
const COMPONENT = '"[a-z0-9@_.-]+"';
const PARAM_VALUE = '(?:\\d{1,15}|"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*")';
const SIGNATURE_INPUT = new RegExp(
  `^(${KEY})=\\(((?:${COMPONENT})(?: ${COMPONENT})*)?\\)((?:;${KEY}=${PARAM_VALUE})*)$`,
);
const PARAM = new RegExp(`;(${KEY})=(${PARAM_VALUE})`, 'g');
const BYTE_MEMBER = new RegExp(
  `^(${KEY})=:((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?):$`,
);

function bytes(base64: string): ArrayBuffer {
  const buffer = Buffer.from(base64, 'base64');
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/** `label=("@method" ...);created=1;keyid="k"`: one inner list of plain strings, integer/string params. */
export function parseSignatureInputFast(input: string): Dictionary | undefined {
  const match = SIGNATURE_INPUT.exec(input);
  if (!match) return undefined;
  const items: Item[] = match[2]
    ? match[2].split(' ').map((quoted): Item => [quoted.slice(1, -1), new Map()])
    : [];
  const params = new Map<string, BareItem>();
  for (const [, key, value] of (match[3] ?? '').matchAll(PARAM)) {
    params.set(key!, value!.startsWith('"') ? value!.slice(1, -1) : Number(value));
  }
  return new Map([[match[1]!, [items, params]]]);
}

/** `label=:<base64>:`: one byte-sequence member without parameters. */
export function parseByteMemberFast(input: string): Dictionary | undefined {
  const match = BYTE_MEMBER.exec(input);
  if (!match) return undefined;
  return new Map([[match[1]!, [bytes(match[2]!), new Map()]]]);
}

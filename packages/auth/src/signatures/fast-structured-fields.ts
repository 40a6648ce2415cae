import type { BareItem, Dictionary, Item } from 'structured-headers';

// Fast paths for the exact shapes Interlink's signer writes, parsed with strict regular expressions.
// Anything else (whitespace, escapes, several members, other item types, leading zeros, a repeated
// parameter) returns undefined and goes to the full RFC 8941 parser in `structured-headers`.
// Written because those parses were a third of the verifier's time; `fast-structured-fields.test.ts`
// holds both paths equal on generated input.

const KEY = '[a-z*][a-z0-9_.*-]*';
const COMPONENT = '"[a-z0-9@_.-]+"';
// Canonical integers only (no leading zero), so the matched text is its own serialization.
const PARAM_VALUE = '(?:0|[1-9]\\d{0,14}|"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*")';
const SIGNATURE_INPUT = new RegExp(
  `^(${KEY})=(\\(((?:${COMPONENT})(?: ${COMPONENT})*)?\\)((?:;${KEY}=${PARAM_VALUE})*))$`,
);
const BYTE_MEMBER = new RegExp(
  `^(${KEY})=:((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?):$`,
);

/** One `Signature-Input` member in the signer's shape, as {@link matchSignatureInput} reads it. */
export interface SignatureInputMember {
  label: string;
  /** Covered component names, none with parameters. */
  components: string[];
  params: Map<string, string | number>;
  /**
   * The inner list exactly as written. The match admits only canonical RFC 8941 text (single
   * spaces, no leading zeros, no repeated parameter), so this is also its serialization: the
   * `@signature-params` value of the signature base.
   */
  innerList: string;
}

/**
 * `label=("@method" ...);created=1;keyid="k"`: one inner list of plain strings with integer and
 * string parameters, or undefined for anything else.
 */
export function matchSignatureInput(input: string): SignatureInputMember | undefined {
  const match = SIGNATURE_INPUT.exec(input);
  if (!match) return undefined;
  // The regular expression has checked the syntax: quoted names separated by single spaces, then
  // `;key=value` pairs where only a string value can hold `;` or `=`, and none holds `"`.
  const components: string[] = [];
  const list = match[3] ?? '';
  for (let at = 0; at < list.length; ) {
    const close = list.indexOf('"', at + 1);
    components.push(list.slice(at + 1, close));
    at = close + 2;
  }
  const params = new Map<string, string | number>();
  const text = match[4]!;
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const eq = text.indexOf('=', at + 1);
    const key = text.slice(at + 1, eq);
    let value: string | number;
    if (text.charCodeAt(eq + 1) === 0x22) {
      const close = text.indexOf('"', eq + 2);
      value = text.slice(eq + 2, close);
      at = close + 1;
    } else {
      const next = text.indexOf(';', eq + 1);
      at = next === -1 ? text.length : next;
      value = Number(text.slice(eq + 1, at));
    }
    params.set(key, value);
    count++;
  }
  // A repeated key would be serialized once: the text would no longer be the serialization.
  if (params.size !== count) return undefined;
  return { label: match[1]!, components, params, innerList: match[2]! };
}

/** One byte-sequence member without parameters, its bytes still in base64. */
export interface ByteSequenceMember {
  label: string;
  base64: string;
}

/** `label=:<base64>:`: one byte-sequence member without parameters, or undefined for anything else. */
export function matchByteSequence(input: string): ByteSequenceMember | undefined {
  const match = BYTE_MEMBER.exec(input);
  return match ? { label: match[1]!, base64: match[2]! } : undefined;
}

function bytes(base64: string): ArrayBuffer {
  const buffer = Buffer.from(base64, 'base64');
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/** {@link matchSignatureInput} as a `structured-headers` dictionary. */
export function parseSignatureInputFast(input: string): Dictionary | undefined {
  const member = matchSignatureInput(input);
  if (!member) return undefined;
  const items = member.components.map((name): Item => [name, new Map()]);
  return new Map([[member.label, [items, new Map<string, BareItem>(member.params)]]]);
}

/** {@link matchByteSequence} as a `structured-headers` dictionary. */
export function parseByteMemberFast(input: string): Dictionary | undefined {
  const member = matchByteSequence(input);
  if (!member) return undefined;
  return new Map([[member.label, [bytes(member.base64), new Map()]]]);
}

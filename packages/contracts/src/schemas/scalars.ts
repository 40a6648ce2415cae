import { type TLiteral, type TUnion, Type } from '@sinclair/typebox';

/** An e-mail address as a path or body value: one `@`, no whitespace and no `/`, at most 254 characters. */
export const EMAIL_PATTERN = '^[^\\s/@%]+@[^\\s/@%]+\\.[^\\s/@%]+$';

/** An e-mail address (RFC 5321's 254-character limit). Pattern only, for the reason given on `Timestamp`. */
export function EmailAddress(options: { description?: string } = {}) {
  return Type.String({ ...options, pattern: EMAIL_PATTERN, minLength: 3, maxLength: 254 });
}

/** A bounded, non-empty string: every string of a contract has a length limit. */
export function Text(maxLength: number, options: { description?: string } = {}) {
  return Type.String({ ...options, minLength: 1, maxLength });
}

/** An ISO 4217 currency code (`USD`). */
export function CurrencyCode() {
  return Type.String({ pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 });
}

/** An amount in the currency's minor unit (cents), never negative. */
export function Cents(options: { description?: string } = {}) {
  return Type.Integer({ ...options, minimum: 0 });
}

/** A count, never negative. */
export function Count(options: { description?: string } = {}) {
  return Type.Integer({ ...options, minimum: 0 });
}

/** One of a closed set of strings, typed as their union. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { title?: string } = {},
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as TUnion<TLiteral<T[number]>[]>;
}

import { FormatRegistry, Type } from '@sinclair/typebox';

/**
 * A UUID in its canonical 8-4-4-4-12 hex form, nothing else: no `/`, `.`, `%` or prefix can pass,
 * so a path id can never become `..`, `%2f` or a second path segment.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const uuid = new RegExp(UUID_PATTERN);

// `format: 'uuid'` is there for OpenAPI readers and generators; the pattern is what guards. TypeBox
// refuses a format it does not know, so the same test is registered under that name. Registering
// only when absent never changes a checker someone else installed, and the pattern still applies.
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => uuid.test(value));

/** A UUID (`format: 'uuid'` plus {@link UUID_PATTERN}). */
export function Uuid(options: { description?: string } = {}) {
  return Type.String({ ...options, format: 'uuid', pattern: UUID_PATTERN, minLength: 36, maxLength: 36 });
}

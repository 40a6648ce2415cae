import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { BusError } from '../errors/bus-error-codes.js';

/** One version of one event type's data schema. */
export interface EventDefinition<S extends TSchema = TSchema> {
  type: string;
  /** 1 for the first version; each later version must be the previous one plus one. */
  version: number;
  schema: S;
  /**
   * Turns data of `version - 1` into data of this version. Required from version 2 on, so an event
   * written by an old producer is always readable by a new consumer.
   */
  upcast?: (previous: unknown) => Static<S>;
}

/** A field that failed validation, as reported in `ERR_BUS_EVENT_INVALID`. */
export interface SchemaIssue {
  path: string;
  message: string;
}

interface CompiledVersion {
  definition: EventDefinition;
  check: TypeCheck<TSchema>;
}

/** Schemas per event type and version; validates on publish and upcasts on read. */
export interface SchemaRegistry {
  /** Adds a version of a type; throws `ERR_BUS_SCHEMA_CONFLICT` on a duplicate or a gap. */
  register<S extends TSchema>(definition: EventDefinition<S>): void;
  has(type: string): boolean;
  /** Registered types, sorted. */
  types(): string[];
  /** The newest version of `type`; throws `ERR_BUS_UNKNOWN_EVENT_TYPE`. */
  latestVersion(type: string): number;
  /** Throws `ERR_BUS_EVENT_INVALID` (with `errors`) when `data` does not match `type`@`version`. */
  validate(type: string, version: number, data: unknown): void;
  /**
   * Brings `data` of `type`@`version` to the newest version, validating the input version and the
   * result; throws `ERR_BUS_UPCAST_FAILED` when an upcaster breaks.
   */
  upcast(type: string, version: number, data: unknown): { version: number; data: unknown };
}

const MAX_ISSUES = 10;

/** An empty schema registry; add the seeds' types with `registerSeedEvents`. */
export interface SchemaRegistryOptions {
  /**
   * `refuse` (default): an unregistered type is `ERR_BUS_UNKNOWN_EVENT_TYPE`. `pass`: its data is
   * carried unchecked at the version it names (version 1 when publishing), for a relay such as the
   * realtime gateway that forwards events it does not interpret; registered types are still checked.
   */
  unknownTypes?: 'refuse' | 'pass';
}

export function createSchemaRegistry(options: SchemaRegistryOptions = {}): SchemaRegistry {
  const versions = new Map<string, CompiledVersion[]>();
  const pass = options.unknownTypes === 'pass';

  function versionsOf(type: string): CompiledVersion[] {
    const list = versions.get(type);
    if (!list) throw new BusError('ERR_BUS_UNKNOWN_EVENT_TYPE', `Event type "${type}" is not registered`);
    return list;
  }

  function compiled(type: string, version: number): CompiledVersion {
    const list = versionsOf(type);
    const entry = Number.isInteger(version) ? list[version - 1] : undefined;
    if (!entry) {
      throw new BusError(
        'ERR_BUS_UNKNOWN_SCHEMA_VERSION',
        `Event type "${type}" has no schema version ${String(version)} (latest is ${list.length})`,
      );
    }
    return entry;
  }

  function check(entry: CompiledVersion, data: unknown): void {
    if (entry.check.Check(data)) return;
    const errors: SchemaIssue[] = [];
    for (const error of entry.check.Errors(data)) {
      errors.push({ path: error.path || '/', message: error.message });
      if (errors.length >= MAX_ISSUES) break;
    }
    const { type, version } = entry.definition;
    const first = errors[0];
    throw new BusError(
      'ERR_BUS_EVENT_INVALID',
      `Event ${type} v${version} is invalid${first ? `: ${first.path} ${first.message}` : ''}`,
      { extensions: { type, version, errors } },
    );
  }

  return {
    register(definition) {
      const list = versions.get(definition.type) ?? [];
      if (definition.version !== list.length + 1) {
        throw new BusError(
          'ERR_BUS_SCHEMA_CONFLICT',
          `Event type "${definition.type}" version ${definition.version} cannot follow version ${list.length}`,
        );
      }
      if (definition.version > 1 && !definition.upcast) {
        throw new BusError(
          'ERR_BUS_SCHEMA_CONFLICT',
          `Event type "${definition.type}" version ${definition.version} needs an upcaster from version ${definition.version - 1}`,
        );
      }
      list.push({
        definition: definition as EventDefinition,
        check: TypeCompiler.Compile(definition.schema),
      });
      versions.set(definition.type, list);
    },
    has: (type) => versions.has(type),
    types: () => [...versions.keys()].sort(),
    latestVersion: (type) => (pass && !versions.has(type) ? 1 : versionsOf(type).length),
    validate(type, version, data) {
      if (pass && !versions.has(type)) return;
      check(compiled(type, version), data);
    },
    upcast(type, version, data) {
      if (pass && !versions.has(type)) return { version, data };
      check(compiled(type, version), data);
      const list = versionsOf(type);
      let current = data;
      for (let next = version + 1; next <= list.length; next++) {
        const entry = list[next - 1]!;
        try {
          current = entry.definition.upcast!(current);
        } catch (cause) {
          throw new BusError(
            'ERR_BUS_UPCAST_FAILED',
            `Upcasting ${type} from v${next - 1} to v${next} threw`,
            {
              cause,
              extensions: { type, version: next },
            },
          );
        }
        if (!entry.check.Check(current)) {
          throw new BusError(
            'ERR_BUS_UPCAST_FAILED',
            `Upcasting ${type} from v${next - 1} to v${next} produced invalid data`,
            { extensions: { type, version: next } },
          );
        }
      }
      return { version: list.length, data: current };
    },
  };
}

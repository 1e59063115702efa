import type { $ZodType, $ZodTypes } from 'zod/v4/core';

// Reads the structure of a zod schema (through optional/default/pipe/lazy wrappers) so the
// config loader can tell which env vars and flags name real fields and which file keys are
// unknown. Only zod's stable `_zod.def` data is read; nothing here validates values.

type Shape = Readonly<Record<string, $ZodType>>;

interface ObjectNode {
  shape: Shape;
  /** The object accepts keys outside its shape (loose or catchall). */
  open: boolean;
}

const MAX_WRAPPERS = 64; // guards against a lazy schema that returns itself

export function unwrap(schema: $ZodType): $ZodTypes {
  let node = schema as $ZodTypes;
  for (let i = 0; i < MAX_WRAPPERS; i++) {
    const def = node._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        node = def.innerType as $ZodTypes;
        break;
      case 'lazy':
        node = def.getter() as $ZodTypes;
        break;
      case 'pipe':
        // preprocess(fn, object) keeps the structure on the out side; object.transform(fn) on the in side
        node = (def.in._zod.def.type === 'transform' ? def.out : def.in) as $ZodTypes;
        break;
      default:
        return node;
    }
  }
  return node;
}

export function objectNode(schema: $ZodType): ObjectNode | undefined {
  const def = unwrap(schema)._zod.def;
  if (def.type !== 'object') return undefined;
  const open = def.catchall !== undefined && def.catchall._zod.def.type !== 'never';
  return { shape: def.shape, open };
}

/** The schema of the field at `segments`, or undefined when no object field has that path. */
export function fieldAt(schema: $ZodType, segments: readonly string[]): $ZodType | undefined {
  let node: $ZodType = schema;
  for (const segment of segments) {
    const object = objectNode(node);
    if (!object || !Object.hasOwn(object.shape, segment)) return undefined;
    node = object.shape[segment];
  }
  return node;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Dotted paths of keys in `value` that `schema` does not define (loose objects accept any). */
export function unknownKeys(schema: $ZodType, value: unknown, prefix = ''): string[] {
  const node = unwrap(schema);
  const def = node._zod.def;
  if (def.type === 'array' && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownKeys(def.element, item, `${prefix}${i}.`));
  }
  if (def.type === 'record' && isPlainObject(value)) {
    return Object.keys(value).flatMap((key) =>
      unknownKeys(def.valueType, value[key], `${prefix}${key}.`),
    );
  }
  const object = objectNode(node);
  if (!object || object.open || !isPlainObject(value)) return [];
  return Object.keys(value).flatMap((key) =>
    Object.hasOwn(object.shape, key)
      ? unknownKeys(object.shape[key], value[key], `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/**
 * One item alone, or a Set from the second one. Most subjects (one per user) have a single
 * connection and a single handler; keeping it alone saves a Set per open stream. Items are never
 * Sets themselves.
 */
export type LoneOrSet<T> = T | Set<T>;

/** `current` with `item` added (the same Set when there is one). */
export function withAdded<T>(current: LoneOrSet<T> | undefined, item: T): LoneOrSet<T> {
  if (current === undefined) return item;
  if (current instanceof Set) return current.add(item);
  return current === item ? current : new Set([current, item]);
}

/** What is left of `current` without `item`; undefined when nothing is. */
export function withRemoved<T>(current: LoneOrSet<T> | undefined, item: T): LoneOrSet<T> | undefined {
  if (current === item) return undefined;
  if (current instanceof Set) {
    current.delete(item);
    return current.size === 0 ? undefined : current;
  }
  return current;
}

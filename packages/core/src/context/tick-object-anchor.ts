import { createHook } from 'node:async_hooks';

/**
 * Returns one of Node's `process.nextTick` queue entries for the caller to keep alive.
 *
 * Why: a full GC at a moment when no entry is alive frees the hidden classes of the literal that
 * `nextTick` builds its entries with; V8's feedback for that literal then turns megamorphic and every
 * later `nextTick` (about nine per HTTP request) runs in V8's slow runtime path for the life of the
 * process. Holding one entry keeps those classes (see the README's benchmark section).
 */
export function captureTickObject(): object | undefined {
  let captured: object | undefined;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') captured ??= resource as object;
    },
  }).enable();
  try {
    process.nextTick(() => undefined);
  } finally {
    hook.disable();
  }
  return captured;
}

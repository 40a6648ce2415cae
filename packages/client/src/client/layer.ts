import type { Dispatcher } from 'undici';
import type { PreparedCall } from './prepared-call.js';

/** Sends a call (or, below the retry layer, one attempt of it); resolves with a 2xx response. */
export type Send = (call: PreparedCall) => Promise<Dispatcher.ResponseData>;

/**
 * One behaviour of the client around the rest, in the manner of undici's interceptors: given the
 * next `Send`, returns a `Send` that adds its behaviour. Layers are composed once, when the client
 * is made; a layer the options turn off is simply not in the list.
 */
export type Layer = (next: Send) => Send;

/** Composes `layers` around `send`, the first layer outermost. */
export function composeLayers(layers: ReadonlyArray<Layer>, send: Send): Send {
  let composed = send;
  for (let i = layers.length - 1; i >= 0; i--) composed = layers[i]!(composed);
  return composed;
}

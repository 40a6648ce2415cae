/** `@interlink/testing/bus`: the conformance suites every bus transport runs (they import vitest). */

export {
  describePositionedConformance,
  type PositionedConformanceTarget,
} from './bus/positioned-conformance.js';
export { type ConformanceTarget, describeTransportConformance } from './bus/transport-conformance.js';

// `@interlink/gateway/demo`: the development demo's parts, for a development gateway composed by
// hand. `startEmbeddedGateway` already serves them (its `demo` option); production never does.
export { type DemoRoutesOptions, realtimeClientDist, registerDemoRoutes } from './demo/demo-routes.js';
export { startEchoUpstream } from './demo/echo-upstream.js';

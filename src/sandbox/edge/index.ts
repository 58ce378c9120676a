// The sandbox TCP edge: startEdge(view) listens on every loopback cloud endpoint and applies its traffic policy.
export { startEdge, type Edge, type EdgeOptions } from './tcp-edge';
export type { EdgeCloudEndpoint, EdgeView } from './edge-view';

import type { SitehopBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** Present inside Electron (exposed by the preload); absent in the browser harness. */
    sitehop?: SitehopBridge;
  }
}

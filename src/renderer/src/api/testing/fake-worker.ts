// A stand-in for the socket worker in unit tests: records what the page posts and lets a test say what the worker
// answers. The real worker runs in Chromium in every harness e2e and in the pipeline bench.
import type { FromWorker, ToWorker, WorkerLike } from '../worker-socket';

export class FakeWorker implements WorkerLike {
  /** Every fake made so far, in order (tests read the last one a transport started). */
  static made: FakeWorker[] = [];
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  got: ToWorker[] = [];
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(m: ToWorker): void {
    this.got.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(m: FromWorker): void {
    this.onmessage?.({ data: m } as MessageEvent<FromWorker>);
  }
}

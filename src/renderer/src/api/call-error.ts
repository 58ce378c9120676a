// A call the back end refused or could not answer, with its error code. Its own module: the store tests for it
// without loading the contract's schemas (client.ts says why those load later).
import type { RpcError } from '../../../shared/contract';

export class CallError extends Error {
  readonly code: RpcError['code'];

  constructor(error: RpcError) {
    super(error.message);
    this.code = error.code;
  }
}

// Tickets for requests that supersede each other (the snapshot of the workspace picked last, the newest sync):
// only the newest ticket of a key may apply its answer, so a slow answer to an older request cannot win.
export interface Latest {
  /** Starts a request for `key`; the returned function says whether it is still the newest one. */
  take(key: string): () => boolean;
}

export function createLatest(): Latest {
  const newest = new Map<string, number>();
  return {
    take(key) {
      const ticket = (newest.get(key) ?? 0) + 1;
      newest.set(key, ticket);
      return () => newest.get(key) === ticket;
    },
  };
}

// Listings of one sync run side by side on one signal, and the first to fail for good stops the others (their
// requests and retry waits): the account's request budget is shared by the whole company, and nothing of a failed
// sync may go out after it has failed. Used by a full sync (fetch-account.ts) and a status sync (sync-source.ts).

/**
 * Runs each task with a signal that aborts when `outer` does or when another task fails, and settles them all
 * before answering: their values in order; else `outer`'s reason when it was aborted; else the first failure (the
 * others' rejections are the stop it caused).
 */
export async function allOrStop<T extends readonly unknown[]>(
  tasks: { readonly [K in keyof T]: (signal: AbortSignal) => Promise<T[K]> },
  outer?: AbortSignal,
): Promise<T> {
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  const settled = await Promise.allSettled(
    (tasks as ReadonlyArray<(signal: AbortSignal) => Promise<unknown>>).map((task) =>
      task(signal).catch((err: unknown) => {
        stop.abort(err);
        throw err;
      }),
    ),
  );
  if (outer?.aborted) throw outer.reason;
  if (stop.signal.aborted) throw stop.signal.reason;
  return settled.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  }) as unknown as T;
}

// Memos of pure functions of one string, shared across resolves (issue 12, item 5): between two syncs almost every
// URL, metadata text and host is unchanged, and a fresh listing (new objects, same text) hits them too. Results
// are never mutated by callers. The bound keeps memory flat on accounts whose texts keep changing.
const MAX_ENTRIES = 100_000;

export function memoByString<R>(fn: (key: string) => R): (key: string) => R {
  let memo = new Map<string, R>();
  return (key: string): R => {
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known as R;
    const value = fn(key);
    if (memo.size >= MAX_ENTRIES) memo = new Map();
    memo.set(key, value);
    return value;
  };
}

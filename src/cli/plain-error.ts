// Node's file and socket errors in the CLI's words. Their own message is errno text ("ENOENT: no such file or
// directory, open '/x.json'", "listen EADDRINUSE: address already in use 127.0.0.1:41579"): the code first, the
// system call in the middle, the path last, which reads as garble to a technician.
type SystemError = NodeJS.ErrnoException & { address?: string; port?: number };

const sentences: Record<string, (where: string) => string> = {
  ENOENT: (w) => `${w} does not exist`,
  EACCES: (w) => `${w} cannot be opened: permission denied`,
  EPERM: (w) => `${w} cannot be opened: permission denied`,
  EISDIR: (w) => `${w} is a folder, not a file`,
  ENOTDIR: (w) => `${w} cannot be opened: part of its path is a file, not a folder`,
  EROFS: (w) => `${w} cannot be written: the disk is read-only`,
  ENOSPC: (w) => `${w} cannot be written: the disk is full`,
  EADDRINUSE: (w) => `${w} is already in use (by another program, or a sitehop sandbox already running)`,
};

/** The error's message, or for a Node system error with a known code, one plain sentence naming the path or address. */
export function plainMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as SystemError;
  const sentence = typeof e.code === 'string' ? sentences[e.code] : undefined;
  if (sentence === undefined || typeof e.syscall !== 'string') return err.message;
  const where =
    e.path ?? (e.address !== undefined ? `${e.address}${e.port !== undefined ? `:${e.port}` : ''}` : null);
  return where === null ? err.message : `${sentence(where)}.`;
}

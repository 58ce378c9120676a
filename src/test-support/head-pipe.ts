// A command whose standard output goes through a real pipe to `head -c BYTES`, as a technician's `sitehop … | head`
// does: head reads that many bytes and closes the pipe, so the writer meets EPIPE. (spawn's own stdio is a socket
// pair, whose buffers can take a large answer whole: the reader's close then never reaches the writer.)
// The command's exit status is kept through fd 3; head's output goes to the real stdout (fd 4).

/** `[file, args]` for spawn: `argv` (the command and its arguments) piped to `head -c bytes`. */
export function throughHead(argv: string[], bytes: number): [string, string[]] {
  const script = `exec 4>&1; s=$( { { "$@"; echo $? >&3; } | head -c ${bytes} >&4; } 3>&1 ); exit "$s"`;
  return ['sh', ['-c', script, 'sh', ...argv]];
}

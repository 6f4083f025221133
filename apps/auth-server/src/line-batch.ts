import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

interface Target {
  write(chunk: string): unknown;
  /** Writes what the target still holds, synchronously (sonic-boom has it). */
  flushSync?(): void;
}

/**
 * Log lines gathered into chunks of about `chunkLength` characters before they reach the
 * stream that writes them: one system call per chunk, not per line. (pino's asynchronous
 * destination, sonic-boom, also measured the UTF-8 length of its whole pending buffer on every
 * write, copying that buffer each time: ~3 KB allocated per access-log line, docs/performance.md.)
 * Here a line is only pushed onto an array; a full chunk is joined once and written once.
 */
export class LineBatch implements DestinationStream {
  private lines: string[] = [];
  private length = 0;

  constructor(
    private readonly target: Target,
    private readonly chunkLength: number,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.length += line.length;
    if (this.length >= this.chunkLength) this.flush();
  }

  /** Hands whatever is gathered to the target now. */
  flush(): void {
    const chunk = this.take();
    if (chunk) this.target.write(chunk);
  }

  /** The gathered lines as one chunk ('' when none), no longer held here. */
  take(): string {
    if (!this.lines.length) return '';
    const chunk = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.length = 0;
    return chunk;
  }
}

/**
 * A LineBatch in front of `target` (which writes to file descriptor `fd`) that also lets its
 * lines out a second after they were logged — a quiet server still shows its start-up banner
 * and errors — and when the process ends. At `exit` nothing asynchronous completes any more,
 * so what the target still holds (an asynchronous one may) and then the gathered lines are
 * written synchronously, ahead of pino's own exit handler.
 */
export function batchedLines(
  target: Target,
  fd: number,
  lifecycle: Pick<NodeJS.EventEmitter, 'prependListener'> = process,
  chunkLength = 4096,
  writeNow: (fd: number, chunk: string) => unknown = writeSync,
): LineBatch {
  const lines = new LineBatch(target, chunkLength);
  lifecycle.prependListener('beforeExit', () => lines.flush());
  lifecycle.prependListener('exit', () => {
    try {
      target.flushSync?.();
      const chunk = lines.take();
      if (chunk) writeNow(fd, chunk);
    } catch {
      // the descriptor is gone: nowhere left to write
    }
  });
  const flusher = setInterval(() => {
    try {
      lines.flush();
    } catch {
      // the destination is closing: the exit flush will do
    }
  }, 1000);
  flusher.unref();
  return lines;
}

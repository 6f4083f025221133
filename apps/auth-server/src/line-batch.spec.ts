import { EventEmitter } from 'node:events';
import { batchedLines, LineBatch } from './line-batch.js';

describe('log lines gathered into chunks', () => {
  function recorder() {
    const chunks: string[] = [];
    return { chunks, target: { write: (chunk: string) => chunks.push(chunk) } };
  }

  it('writes nothing until a chunk is full, then the lines in order as one write', () => {
    const { chunks, target } = recorder();
    const batch = new LineBatch(target, 30);
    batch.write('{"n":1}\n');
    batch.write('{"n":2}\n');
    batch.write('{"n":3}\n');
    expect(chunks).toEqual([]);
    batch.write('{"n":4}\n');
    expect(chunks).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
    batch.write('{"n":5}\n');
    expect(chunks).toHaveLength(1);
  });

  it('hands over a partial chunk on flush, and writes nothing when nothing is pending', () => {
    const { chunks, target } = recorder();
    const batch = new LineBatch(target, 4096);
    batch.flush();
    batch.write('a\n');
    batch.flush();
    batch.flush();
    expect(chunks).toEqual(['a\n']);
  });

  it('at exit writes what the target holds, then the pending lines, synchronously and before other exit listeners', () => {
    const { chunks, target } = recorder();
    const order: string[] = [];
    const flushing = { ...target, flushSync: () => order.push('target flushed') };
    const lifecycle = new EventEmitter();
    lifecycle.on('exit', () => order.push('pino closes stdout'));
    const batch = batchedLines(flushing, 1, lifecycle, 4096, (fd, chunk) => order.push(`fd ${fd}: ${chunk}`));
    batch.write('last\n');
    batch.write('words\n');
    lifecycle.emit('exit');
    expect(order).toEqual(['target flushed', 'fd 1: last\nwords\n', 'pino closes stdout']);
    expect(chunks).toEqual([]);
  });

  it('hands pending lines to the target on beforeExit, while the event loop still runs', () => {
    const { chunks, target } = recorder();
    const lifecycle = new EventEmitter();
    const batch = batchedLines(target, 1, lifecycle);
    batch.write('after beforeExit\n');
    lifecycle.emit('beforeExit');
    expect(chunks).toEqual(['after beforeExit\n']);
  });

  it('lets a line out within a second on a quiet server', () => {
    jest.useFakeTimers();
    try {
      const { chunks, target } = recorder();
      const batch = batchedLines(target, 1, new EventEmitter());
      batch.write('started\n');
      expect(chunks).toEqual([]);
      jest.advanceTimersByTime(1000);
      expect(chunks).toEqual(['started\n']);
    } finally {
      jest.useRealTimers();
    }
  });
});

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

  it('lets pending lines out when the process ends, before anything else listening for it', () => {
    const { chunks, target } = recorder();
    const lifecycle = new EventEmitter();
    const order: string[] = [];
    lifecycle.on('exit', () => order.push(`closing stdout with ${chunks.length} chunk(s) written`));
    const batch = batchedLines(target, lifecycle);
    batch.write('last words\n');
    lifecycle.emit('exit');
    expect(chunks).toEqual(['last words\n']);
    expect(order).toEqual(['closing stdout with 1 chunk(s) written']);
    batch.write('after beforeExit\n');
    lifecycle.emit('beforeExit');
    expect(chunks).toEqual(['last words\n', 'after beforeExit\n']);
  });

  it('lets a line out within a second on a quiet server', () => {
    jest.useFakeTimers();
    try {
      const { chunks, target } = recorder();
      const batch = batchedLines(target, new EventEmitter());
      batch.write('started\n');
      expect(chunks).toEqual([]);
      jest.advanceTimersByTime(1000);
      expect(chunks).toEqual(['started\n']);
    } finally {
      jest.useRealTimers();
    }
  });
});

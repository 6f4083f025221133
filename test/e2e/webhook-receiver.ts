import { createServer, type Server } from 'node:http';

export interface ReceivedDelivery {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

/**
 * A real HTTP receiver on 127.0.0.1: answers each request with the next status of `script`
 * (the last one repeats) and records what it got.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private server?: Server;
  url = '';

  constructor(private script: number[] = [200]) {}

  answer(script: number[]): void {
    this.script = script;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = this.script.length > 1 ? this.script.shift()! : this.script[0];
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    return this;
  }

  of(eventType: string): ReceivedDelivery[] {
    return this.received.filter((d) => d.headers['x-webhook-event'] === eventType);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Waits for something the server does in the background (no assertion on how long it takes). */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in 20 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

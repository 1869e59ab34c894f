/**
 * A TCP proxy between the sync client and PostgreSQL that can cut every connection after a given
 * number of bytes (both directions counted): the network failing before, during or after a
 * batch's commit, at a point chosen by the test.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class FaultProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Bytes after which the current connections are cut; null: never. */
  cutAfterBytes: number | null = null;
  /** Bytes relayed since the last reset (to size the next cut). */
  bytes = 0;
  cuts = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const relay = (from: Socket, to: Socket) => {
        from.on('data', (chunk: Buffer) => {
          if (this.cutAfterBytes !== null && this.bytes + chunk.length >= this.cutAfterBytes) {
            // Deliver the part before the cut, then drop both sides.
            const keep = Math.max(0, this.cutAfterBytes - this.bytes);
            if (keep > 0) to.write(chunk.subarray(0, keep));
            this.bytes += keep;
            this.cuts++;
            this.cutAfterBytes = null;
            client.destroy();
            upstream.destroy();
            return;
          }
          this.bytes += chunk.length;
          to.write(chunk);
        });
      };
      relay(client, upstream);
      relay(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', close);
      upstream.on('close', close);
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server!.address() as { port: number }).port;
  }

  reset(): void {
    this.bytes = 0;
    this.cutAfterBytes = null;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

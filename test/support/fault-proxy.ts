import net from 'node:net';

/**
 * A TCP proxy between the code under test and a shared server (PostgreSQL, Redis) that can fail on
 * demand: cut every open connection, refuse new ones, or delay every chunk. The shared server is
 * never stopped, so other test files and other test runs on the machine are not disturbed.
 */
export class FaultProxy {
  /** The listening socket; a new one after each refusal (a closing server waits for its connections). */
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private latencyMs = 0;
  private refusing = false;
  private portNumber = 0;
  /** Connections accepted since the proxy started. */
  accepted = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    private readonly host = '127.0.0.1',
  ) {}

  /** Listens on a free loopback port and forwards to `target`. */
  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  get port(): number {
    return this.portNumber;
  }

  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = this.host;
    proxied.port = String(this.portNumber);
    return proxied.toString();
  }

  /** Resets every open connection, as a server killed or a network cut does. */
  dropConnections(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    return count;
  }

  /** Stops listening: new connections are refused (ECONNREFUSED) until `accept()`. */
  async refuse(): Promise<void> {
    if (this.refusing) return;
    this.refusing = true;
    // Stops listening at once; its 'close' would wait for the open connections, so it is not awaited.
    this.server?.close();
    this.server = undefined;
  }

  /** Listens again on the same port. */
  async accept(): Promise<void> {
    if (!this.refusing) return;
    this.refusing = false;
    await this.listen(this.portNumber);
  }

  /** Delays every chunk in both directions by `ms` (0 turns it off). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** The server is down: open connections cut, new ones refused. `heal()` brings it back. */
  async outage(): Promise<number> {
    await this.refuse();
    return this.dropConnections();
  }

  async heal(): Promise<void> {
    this.latencyMs = 0;
    await this.accept();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await this.refuse();
  }

  private async listen(port: number): Promise<void> {
    const server = net.createServer((socket) => this.forward(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.portNumber = (server.address() as net.AddressInfo).port;
  }

  private forward(client: net.Socket): void {
    this.accepted++;
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const pipe = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => {
        if (this.latencyMs === 0) {
          to.write(chunk);
          return;
        }
        // Pausing keeps the order of chunks: the next one is read only after this one was written.
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, this.latencyMs);
      });
      from.on('end', () => to.end());
    };
    pipe(client, upstream);
    pipe(upstream, client);
    const close = () => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  }
}

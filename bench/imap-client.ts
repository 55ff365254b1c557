// A raw-socket IMAP client for the benchmarks: it finds the end of each answer (literals skipped, not
// kept) and nothing more, so the client's own cost stays small beside the server's.
import { connect, type Socket } from 'node:net';

/** A raw-socket IMAP client that only finds the end of each answer (literals skipped, not kept). */
export class BenchClient {
  private tag = 0;
  private waiting: { tag: string; resolve: (bytes: number) => void; reject: (e: Error) => void } | null = null;
  private head = '';
  private tail = '';
  private skip = 0;
  private bytes = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.scan(chunk));
    socket.on('error', (error) => this.waiting?.reject(error));
  }

  static async open(port: number): Promise<BenchClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    const client = new BenchClient(socket);
    await new Promise<number>((resolve, reject) => (client.waiting = { tag: '*', resolve, reject }));
    return client;
  }

  /** Sends a command; resolves with the answer's size once its tagged OK arrives. */
  ok(command: string): Promise<number> {
    const tag = `b${++this.tag}`;
    this.bytes = 0;
    return new Promise<number>((resolve, reject) => {
      this.waiting = {
        tag,
        resolve,
        reject: (e) => reject(new Error(`${command}: ${e.message}`)),
      };
      this.socket.write(`${tag} ${command}\r\n`);
    });
  }

  async close(): Promise<void> {
    await this.ok('LOGOUT');
    this.socket.destroy();
  }

  /** Finds response ends without decoding lines: a line ending in `}` CR starts a literal to skip. */
  private scan(chunk: Buffer) {
    this.bytes += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      if (this.head.length < 16) this.head += chunk.toString('latin1', i, Math.min(chunk.length, i + 16 - this.head.length));
      const lf = chunk.indexOf(0x0a, i);
      if (lf === -1) {
        this.tail = (this.tail + chunk.toString('latin1', Math.max(i, chunk.length - 24))).slice(-24);
        return;
      }
      const last = lf >= i + 2 ? chunk.toString('latin1', lf - 2, lf) : (this.tail + chunk.toString('latin1', i, lf)).slice(-2);
      const tail = last === '}\r' ? (this.tail + chunk.toString('latin1', Math.max(i, lf - 24), lf)).slice(-24) : '';
      this.tail = '';
      i = lf + 1;
      const literal = /\{(\d+)\}\r$/.exec(tail);
      if (literal !== null) {
        this.skip = Number(literal[1]);
        continue;
      }
      const line = this.head;
      this.head = '';
      const waiting = this.waiting;
      if (waiting === null) continue;
      if (waiting.tag === '*' ? line.startsWith('* OK') : line.startsWith(`${waiting.tag} `)) {
        this.waiting = null;
        if (waiting.tag === '*' || line.startsWith(`${waiting.tag} OK`)) waiting.resolve(this.bytes);
        else waiting.reject(new Error(line));
      }
    }
  }
}

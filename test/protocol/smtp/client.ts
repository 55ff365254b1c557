// A scripted SMTP client for protocol tests: sends one command at a time and parses the (possibly
// multi-line) reply into code, enhanced code and lines, so tests compare replies structurally rather
// than matching a transcript. Binds to a chosen loopback source address (127.0.0.x) so a test can be
// a trusted (127.0.0.1) or an untrusted client. Every wait is bounded.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface Reply {
  code: number;
  /** Enhanced status code of the last line, or null. */
  enhanced: string | null;
  /** Text of each line without code and enhanced code. */
  lines: string[];
  /** The last line's text. */
  text: string;
}

const WAIT_MS = 10_000;

export class SmtpClient {
  private buffer = '';
  private waiting: { resolve(r: Reply): void; reject(e: Error): void } | null = null;
  private replies: Reply[] = [];
  private closed = false;

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  /** `talkFirst`: a line written as soon as the TCP connection is up, before any greeting arrived. */
  static async open(port: number, options: { from?: string; tls?: boolean; talkFirst?: string } = {}): Promise<{ client: SmtpClient; greeting: Reply }> {
    const tcp = await new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host: '127.0.0.1', port, localAddress: options.from ?? '127.0.0.9' }, () => {
        if (options.talkFirst !== undefined) s.write(`${options.talkFirst}\r\n`);
        resolve(s);
      });
      s.once('error', reject);
    });
    const socket = options.tls ? await upgrade(tcp) : tcp;
    const client = new SmtpClient(socket);
    const greeting = await client.next();
    return { client, greeting };
  }

  private attach(socket: Socket | TLSSocket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.parse();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.reject(new Error('connection closed'));
      this.waiting = null;
    });
    socket.on('error', () => {});
  }

  private parse() {
    for (;;) {
      const lines: string[] = [];
      let offset = 0;
      let done = false;
      while (!done) {
        const end = this.buffer.indexOf('\r\n', offset);
        if (end < 0) return;
        const line = this.buffer.slice(offset, end);
        lines.push(line);
        offset = end + 2;
        done = line[3] !== '-';
      }
      this.buffer = this.buffer.slice(offset);
      const enhancedOf = (l: string) => /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3}) /.exec(l)?.[1] ?? null;
      const last = lines[lines.length - 1];
      const enhanced = enhancedOf(last);
      const texts = lines.map((l) => l.slice(4).replace(/^[245]\.\d{1,3}\.\d{1,3} /, ''));
      const reply = { code: Number(last.slice(0, 3)), enhanced, lines: texts, text: texts[texts.length - 1] };
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w.resolve(reply);
      } else this.replies.push(reply);
    }
  }

  /** The next reply from the server, within `waitMs`. */
  next(waitMs = WAIT_MS): Promise<Reply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error('no reply within the time limit'));
      }, waitMs);
      this.waiting = {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
  }

  async send(line: string): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.next();
  }

  /** Writes bytes as they are (a test of framing); read the reply with next(). */
  write(raw: string): void {
    this.socket.write(raw);
  }

  /** Writes `chunk` `times` times, each after the socket drained (bulk DATA); stops if the connection closes. */
  async writeRepeated(chunk: Buffer, times: number): Promise<void> {
    for (let i = 0; i < times && !this.closed; i++) {
      if (this.socket.write(chunk)) continue;
      await new Promise<void>((resolve) => {
        const done = () => (this.socket.off('drain', done), this.socket.off('close', done), resolve());
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
  }

  /** Sends a message body after a 354 (dot-stuffing it) and returns the final reply. */
  async data(body: string): Promise<Reply> {
    const go = await this.send('DATA');
    if (go.code !== 354) return go;
    const stuffed = body.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    this.socket.write(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
    return this.next();
  }

  /** STARTTLS and continue over TLS. */
  async starttls(): Promise<Reply> {
    const reply = await this.send('STARTTLS');
    if (reply.code !== 220) return reply;
    const plain = this.socket;
    plain.removeAllListeners('data');
    this.socket = await upgrade(plain);
    this.attach(this.socket);
    return reply;
  }

  /** EHLO and the advertised extensions (upper-case keywords with their parameters). */
  async ehlo(name = 'client.example'): Promise<{ reply: Reply; extensions: Map<string, string> }> {
    const reply = await this.send(`EHLO ${name}`);
    const extensions = new Map<string, string>();
    for (const line of reply.lines.slice(1)) {
      const [keyword, ...rest] = line.split(' ');
      extensions.set(keyword.toUpperCase(), rest.join(' '));
    }
    return { reply, extensions };
  }

  /** Whether the server has closed the connection (waits briefly for the close to arrive). */
  async closedByServer(): Promise<boolean> {
    if (this.closed) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.closed), WAIT_MS);
      this.socket.once('close', () => (clearTimeout(timer), resolve(true)));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function upgrade(socket: Socket): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ socket, rejectUnauthorized: false, servername: 'localhost' }, () => resolve(s));
    s.once('error', reject);
  });
}

export const plain = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`).toString('base64');

// One socket to one milter: connect with a deadline, send commands, await replies with a deadline.
// Knows the wire (codec, framing) but not the protocol's states; the client decides which timeout
// applies and what a failure means.
//
// Invariants:
// - Replies are read in order, one receive() at a time; bytes that arrive early wait in the reader.
// - The first failure (connect error, socket error or close, malformed packet, a deadline passed) is
//   final: the socket is destroyed, the pending receive() rejects, and every later send()/receive()
//   rejects with the same error. After a timeout the stream is out of step, so there is no retry.
import { connect as netConnect, type Socket } from 'node:net';
import { decodeReply, encodeCommand, type MilterCommand, type MilterReply } from './codec.js';
import type { MilterEndpoint } from './endpoint.js';
import { MilterUnavailableError } from './errors.js';
import { PacketReader } from './packet-reader.js';

/** Opens a stream socket to the endpoint; injectable so tests and hosts can choose how to dial. */
export type MilterDialer = (endpoint: MilterEndpoint) => Socket;

export const dialMilter: MilterDialer = (endpoint) =>
  endpoint.kind === 'inet' ? netConnect({ host: endpoint.host, port: endpoint.port }) : netConnect({ path: endpoint.path });

interface Waiter {
  resolve(reply: MilterReply): void;
  reject(error: Error): void;
}

export class MilterLink {
  private readonly reader = new PacketReader();
  private waiter: Waiter | null = null;
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket) {
    // Small packets in lock-step: without this, Nagle plus delayed ACKs add ~40 ms to every event.
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      this.deliver();
    });
    socket.on('error', (error) => this.fail(new MilterUnavailableError(`milter connection failed: ${error.message}`)));
    socket.on('close', () => this.fail(new MilterUnavailableError('milter closed the connection')));
  }

  static open(endpoint: MilterEndpoint, dial: MilterDialer, timeoutMs: number): Promise<MilterLink> {
    return new Promise((resolve, reject) => {
      const socket = dial(endpoint);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new MilterUnavailableError(`no connection to the milter within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new MilterUnavailableError(`cannot connect to the milter: ${error.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new MilterLink(socket));
      });
    });
  }

  send(command: MilterCommand): void {
    if (this.failure) throw this.failure;
    this.socket.write(encodeCommand(command));
  }

  /** The next reply, or a MilterUnavailableError/MilterProtocolError; `timeoutMs` bounds the wait. */
  receive(timeoutMs: number): Promise<MilterReply> {
    if (this.waiter) return Promise.reject(new Error('MilterLink.receive called while another receive is pending'));
    return new Promise<MilterReply>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new MilterUnavailableError(`the milter did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.deliver();
    });
  }

  close(): void {
    this.fail(new MilterUnavailableError('milter connection closed'));
  }

  /** Sends a last command (QUIT) and closes once it is flushed; a peer that never hangs up is cut off
   *  after a second. */
  finish(command: MilterCommand): void {
    if (this.failure) return;
    this.failure = new MilterUnavailableError('milter connection closed');
    this.socket.end(encodeCommand(command));
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.deliver();
  }

  private deliver(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    if (this.failure) {
      this.waiter = null;
      waiter.reject(this.failure);
      return;
    }
    let reply: MilterReply | null;
    try {
      const packet = this.reader.next();
      reply = packet && decodeReply(packet);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (reply) {
      this.waiter = null;
      waiter.resolve(reply);
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.socket.destroy();
    this.deliver();
  }
}

// Where a message's DATA waits until it is delivered: in memory up to SPILL_THRESHOLD bytes, beyond
// that in a temporary file in the data folder's tmp/, so a connection holds at most that much memory
// however large a message it sends (issue 11: 40 connections × 24 MiB must not take a gigabyte).
//
// Invariants:
// - The file is written with back-pressure: the DATA stream is paused while the file lags, so a fast
//   client cannot queue more in memory than the file stream's buffer.
// - Past `limit` nothing more is kept (memory or file) and the stream is drained, so an oversize
//   message costs nothing but the socket reads; the result is then null.
// - A temporary file is removed by discard() (the caller's finally) or when the stream fails; the
//   SMTP listeners remove leftovers of a crash when they are created (prepareSpool).
// - A slow sender: while DATA is in transit, fewer than `minBytesPerSecond` bytes over any
//   RATE_WINDOW_MS calls onTooSlow (the caller closes the connection); 0 turns the check off.
import { createWriteStream, mkdirSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { RATE_WINDOW_MS } from '../net/client-connection.js';

export const SPILL_THRESHOLD = 256 * 1024;
const FILE_PREFIX = 'smtp-data-';

export interface SpooledMessage {
  size: number;
  /** Whether the bytes are in a file (reading them needs that much memory again). */
  spilled: boolean;
  read(): Promise<Buffer>;
  discard(): Promise<void>;
}

export interface SpoolOptions {
  /** Size limit: past it the message is drained and the result is null. */
  limit: number;
  /** The folder temporary files go to. */
  dir: string;
  /** A name for the file unique among the connections (session id and transaction number). */
  name: string;
  minBytesPerSecond: number;
  onTooSlow(bytesInWindow: number): void;
}

/** Reads the DATA stream to its end; null when it exceeded `limit`. */
export function spoolMessage(stream: Readable, options: SpoolOptions): Promise<SpooledMessage | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let file: WriteStream | null = null;
    const path = join(options.dir, `${FILE_PREFIX}${options.name}`);
    let windowBytes = 0;
    const rate =
      options.minBytesPerSecond > 0
        ? setInterval(() => {
            if (windowBytes < (options.minBytesPerSecond * RATE_WINDOW_MS) / 1000) options.onTooSlow(windowBytes);
            windowBytes = 0;
          }, RATE_WINDOW_MS).unref()
        : null;
    // The file may still be opening: it is removed once its stream has closed, never before.
    const drop = (out: WriteStream) => {
      out.once('close', () => void rm(path, { force: true }));
      out.destroy();
    };
    const fail = (error: unknown) => {
      if (rate) clearInterval(rate);
      if (file) drop(file);
      file = null;
      reject(error);
    };

    const spill = (chunk: Buffer) => {
      if (!file) {
        file = createWriteStream(path, { flags: 'wx', mode: 0o600 });
        file.on('error', fail);
        for (const c of chunks.splice(0)) file.write(c);
      }
      if (!file.write(chunk)) {
        stream.pause();
        file.once('drain', () => stream.resume());
      }
    };

    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      windowBytes += chunk.length;
      if (size > options.limit) {
        chunks.length = 0;
        if (file) drop(file);
        file = null;
        stream.resume(); // it may have been waiting for the dropped file to drain
      } else if (file || size > SPILL_THRESHOLD) spill(chunk);
      else chunks.push(chunk);
    });
    stream.once('error', fail);
    stream.once('end', () => {
      if (rate) clearInterval(rate);
      if (size > options.limit) return resolve(null);
      const written = file;
      if (!written) {
        // One chunk (most small messages) is kept as it is: delivery copies the bytes once anyway.
        const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
        return resolve({ size, spilled: false, read: async () => bytes, discard: async () => {} });
      }
      written.end(() =>
        resolve({
          size,
          spilled: true,
          read: () => readFile(path),
          discard: () => rm(path, { force: true }),
        }),
      );
    });
  });
}

/** Creates the spool folder and removes temporary files a crashed process left there. */
export function prepareSpool(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(dir)) if (name.startsWith(FILE_PREFIX)) rmSync(join(dir, name), { force: true });
}

// Commands that read many messages (a FETCH of OFFLOAD_MIN or more) register here, one instance per
// IMAP server. A read worker costs a hop per batch (structured clone, a message each way), which a
// FETCH alone pays for nothing: it reads inline, yielding between batches (issue 21: FETCH 1:* 46–48
// ms offloaded vs 30 ms inline on 5,000 messages). Once two run at once they would share the one
// event loop, so from then on their reads go to the workers and use both cores (issue 20).
export class BulkWork {
  private running = 0;

  /** More than one bulk command is running now. */
  get shared(): boolean {
    return this.running > 1;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}

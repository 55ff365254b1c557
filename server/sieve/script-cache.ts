// Compiled scripts kept for reuse: delivery runs the same few scripts for every message, and
// compiling is most of the cost of a small script. Keyed by location, name and the exact text, so
// an edited script is simply a new entry; the least recently used entry goes past the limit.
// A compiled script is never changed by a run (the validator fills node data once), so sharing is safe.
import type { CompiledScript, ScriptLocation } from './runtime.js';

export class ScriptCache {
  private readonly entries = new Map<string, CompiledScript>();

  constructor(
    private readonly compile: (source: string, location: ScriptLocation, name: string) => CompiledScript,
    private readonly limit = 512,
  ) {}

  get(source: string, location: ScriptLocation, name: string): CompiledScript {
    const key = `${location}\0${name}\0${source}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const compiled = this.compile(source, location, name);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, compiled);
    return compiled;
  }
}

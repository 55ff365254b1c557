// The set of extensions a compiler knows: every command, test, tag and comparator by name, with
// the capability that enables it. Built once from a list of Extension modules; the validator asks
// it what a name means and which `require` makes it available.

import type { Comparator } from './comparators.js';
import type { CommandSpec, Extension, TagSpec, TestSpec } from './spec.js';

export class Registry {
  readonly capabilities = new Map<string, Extension>();
  readonly commands = new Map<string, CommandSpec>();
  readonly tests = new Map<string, TestSpec>();
  readonly comparators = new Map<string, { comparator: Comparator; extension: string | null }>();
  private readonly groupTags = new Map<string, TagSpec[]>();
  private readonly commandTags = new Map<string, TagSpec[]>();

  constructor(base: Extension, extensions: readonly Extension[]) {
    this.addExtension(base, true);
    for (const ext of extensions) this.addExtension(ext, false);
  }

  private addExtension(ext: Extension, base: boolean): void {
    if (!base) this.capabilities.set(ext.name, ext);
    for (const c of ext.commands ?? []) this.commands.set(c.name, c);
    for (const t of ext.tests ?? []) this.tests.set(t.name, t);
    for (const tag of ext.groupTags ?? []) {
      const group = tag.group ?? '';
      this.groupTags.set(group, [...(this.groupTags.get(group) ?? []), tag]);
    }
    for (const { commands, tag } of ext.commandTags ?? []) {
      for (const name of commands) this.commandTags.set(name, [...(this.commandTags.get(name) ?? []), tag]);
    }
    for (const comparator of ext.comparators ?? []) this.comparators.set(comparator.name, { comparator, extension: base ? null : ext.name });
  }

  /** Every tag `spec` accepts: its own, those other extensions add to it, and its groups'. */
  tagsFor(spec: CommandSpec | TestSpec): TagSpec[] {
    const tags = [...(spec.tags ?? []), ...(this.commandTags.get(spec.name) ?? [])];
    for (const g of spec.groups ?? []) tags.push(...(this.groupTags.get(g) ?? []));
    return tags;
  }

  /** The capability names in the order ManageSieve's SIEVE capability lists them. */
  capabilityNames(): string[] {
    return [...this.capabilities.keys()];
  }
}

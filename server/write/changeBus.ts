import type { Change } from '../../shared/protocol';

/**
 * Committed changes, handed to whoever fans them out (the Socket.IO edge), in version order, in this
 * process. Transactions of several lanes commit side by side, and one may hear of its commit before
 * another that took a lower version: a version taken (`taken`) holds back every later change until
 * it is published, or dropped with its rolled-back transaction. A client would otherwise see a gap
 * and ask for a whole snapshot.
 */
export class ChangeBus {
  private readonly listeners = new Set<(change: Change) => void>();
  /** Versions taken by transactions not yet through, with how many (a rolled-back version is taken again). */
  private readonly open = new Map<number, number>();
  /** Committed changes waiting for a lower version, lowest first. */
  private held: Change[] = [];

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A transaction took this version; its change (or its rollback) follows. */
  taken(version: number): void {
    this.open.set(version, (this.open.get(version) ?? 0) + 1);
  }

  /** The transaction that took this version rolled back: nothing comes of it. */
  dropped(version: number): void {
    this.settle(version);
    this.release();
  }

  publish(change: Change): void {
    this.settle(change.version);
    this.held.push(change);
    this.held.sort((a, b) => a.version - b.version);
    this.release();
  }

  private settle(version: number): void {
    const n = this.open.get(version) ?? 0;
    if (n <= 1) this.open.delete(version);
    else this.open.set(version, n - 1);
  }

  /** Hands on every held change no open version comes before. */
  private release(): void {
    const lowestOpen = this.open.size === 0 ? Infinity : Math.min(...this.open.keys());
    const ready = this.held.filter((c) => c.version < lowestOpen);
    if (ready.length === 0) return;
    this.held = this.held.filter((c) => c.version >= lowestOpen);
    for (const change of ready) for (const listener of this.listeners) listener(change);
  }
}

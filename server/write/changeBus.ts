import type { Change } from '../../shared/protocol';

/** Committed changes, handed to whoever fans them out (the Socket.IO edge), in commit order, in this process. */
export class ChangeBus {
  private readonly listeners = new Set<(change: Change) => void>();

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }
}

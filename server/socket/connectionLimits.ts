// The open role (hall display, a resident's turn page) needs no PIN, so anyone can open such sockets:
// they are counted per address and refused beyond a cap. Kiosks, volunteers and staff prove their
// role with a token and are never counted here, so a flood of open sockets cannot lock them out.

/**
 * Open sockets one address may hold. Behind a NAT (or carrier-grade NAT on phones) a whole site is one
 * address: its few hall TVs and the turn pages of the residents in line (a busy point has 100–300
 * people waiting) fit under it; the 20,000 of a script do not, and the ones within it cost ~50 KB each.
 */
export const OPEN_SOCKETS_PER_ADDRESS = 300;

/** Counts live connections per address, up to a cap. */
export class AddressCap {
  private readonly counts = new Map<string, number>();

  constructor(readonly cap: number) {}

  /** Counts one more connection from the address; false (and nothing counted) when it is at the cap. */
  take(address: string): boolean {
    const n = this.counts.get(address) ?? 0;
    if (n >= this.cap) return false;
    this.counts.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = this.counts.get(address) ?? 0;
    if (n <= 1) this.counts.delete(address);
    else this.counts.set(address, n - 1);
  }
}

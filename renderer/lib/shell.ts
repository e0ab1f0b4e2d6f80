// The kiosk shell (Electron preload) when the pages run inside it; absent in an ordinary browser.
import type { KioskShell } from '../../shared/kioskShell';

declare global {
  interface Window {
    natq?: KioskShell;
  }
}

/** Prints the page: silently to the default printer in the kiosk shell, else through the browser's dialog. */
export async function printPage(): Promise<void> {
  if (window.natq && (await window.natq.printSilently())) return;
  window.print();
}

// What the kiosk window lets its pages do (Electron's security checklist), as plain rules that main.ts
// applies to Electron's events: the shell's calls answer only the configured server's pages and the
// shell's own connecting page; the window never leaves the configured server; only that server gets
// the camera. Any other page — a link or a redirect gone astray — gets nothing.
import type { KioskConfig, ShellCall } from '../shared/kioskShell';
import { serverBaseUrl } from './kioskConfig';

/** Who is asking: a page of the configured server, the shell's connecting page, or anything else. */
export type PageKind = 'server' | 'connecting' | 'other';

/** A frame as Electron describes it (the sender of a call, or the frame asking for a permission). */
export interface FrameInfo {
  url: string;
  isMainFrame: boolean;
}

/**
 * Which pages may make each call. The server's pages are trusted to print; repointing the kiosk is the
 * operator's choice on the connecting page only, so a page (or a script injected into one) cannot move
 * the kiosk to a server of its choosing.
 */
const CALLERS: Record<ShellCall, readonly PageKind[]> = {
  config: ['server', 'connecting'],
  setConfig: ['connecting'],
  printSilently: ['server'],
};

/** The permissions the server's pages get: the camera (scanning codes) and writing to the clipboard. */
const PERMISSIONS = new Set(['media', 'clipboard-sanitized-write']);

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

export class WindowPolicy {
  readonly serverOrigin: string;
  #connectingUrl: string | null = null;

  constructor(config: KioskConfig) {
    this.serverOrigin = new URL(serverBaseUrl(config)).origin;
  }

  /**
   * Records the connecting page the shell loads. It is a data: URL, whose origin is opaque, so it is
   * known by its whole URL: only the shell writes that content.
   */
  showingConnectingPage(url: string): void {
    this.#connectingUrl = url;
  }

  /** Only main frames count: a frame inside a page is never the page. */
  pageKind(frame: FrameInfo | null): PageKind {
    if (!frame?.isMainFrame) return 'other';
    if (this.#connectingUrl !== null && frame.url === this.#connectingUrl) return 'connecting';
    return originOf(frame.url) === this.serverOrigin ? 'server' : 'other';
  }

  allowsCall(call: ShellCall, sender: FrameInfo | null): boolean {
    return CALLERS[call].includes(this.pageKind(sender));
  }

  /** Navigations the pages start, and redirects: the window stays on the configured server. */
  allowsNavigation(url: string): boolean {
    return originOf(url) === this.serverOrigin;
  }

  /**
   * A permission request or check from a frame (`requestingUrl`: its URL or origin). Media is the camera
   * only: the kiosk never records sound.
   */
  allowsPermission(permission: string, request: { requestingUrl: string; mediaTypes?: readonly string[] }): boolean {
    if (!PERMISSIONS.has(permission) || originOf(request.requestingUrl) !== this.serverOrigin) return false;
    if (permission !== 'media') return true;
    const types = request.mediaTypes ?? [];
    return types.length > 0 && types.every((type) => type === 'video');
  }
}

// The kiosk shell (Electron) as the pages see it: a tiny API the preload exposes through
// contextBridge as `window.natq`. Types and channel names only, so the preload bundles nothing else.

/** Where the kiosk's server is: another machine, or this laptop (the whole sampling point on one machine). */
export type KioskConfig =
  /** caFingerprint: the SHA-256 of the server's local CA, the only CA the kiosk trusts for it (https only). */
  { mode: 'remote'; serverUrl: string; caFingerprint?: string } | { mode: 'host'; port: number; dataDir: string };

export interface KioskConfigState {
  config: KioskConfig;
  /** Why the saved file was not used (the defaults were), or null. */
  problem: string | null;
}

export type SaveConfigResult = { ok: true } | { ok: false; error: string };

export interface KioskShell {
  config(): Promise<KioskConfigState>;
  /** Validates and saves the config; the shell then restarts into it. */
  setConfig(config: KioskConfig): Promise<SaveConfigResult>;
  /** Prints the current page to the default printer without a dialog; false when it could not. */
  printSilently(): Promise<boolean>;
}

export const SHELL_CHANNELS = {
  config: 'natq:config',
  setConfig: 'natq:set-config',
  printSilently: 'natq:print-silently',
} as const;

/** One of the shell's calls, by its name in `KioskShell`. */
export type ShellCall = keyof typeof SHELL_CHANNELS;

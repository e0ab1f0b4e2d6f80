// The only bridge between the kiosk pages and the shell: three calls, no Node, no Electron objects.
import { contextBridge, ipcRenderer } from 'electron';
import { SHELL_CHANNELS, type KioskShell } from '../shared/kioskShell';

const shell: KioskShell = {
  config: () => ipcRenderer.invoke(SHELL_CHANNELS.config),
  setConfig: (config) => ipcRenderer.invoke(SHELL_CHANNELS.setConfig, config),
  printSilently: () => ipcRenderer.invoke(SHELL_CHANNELS.printSilently),
};

contextBridge.exposeInMainWorld('natq', shell);

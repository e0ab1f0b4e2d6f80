// The camera scanner, on html5-qrcode: the only file that imports it.
import { Html5Qrcode, Html5QrcodeScannerState, Html5QrcodeSupportedFormats } from 'html5-qrcode';
import type { Scanner } from './scanner';

/** Reads QR codes from the kiosk's camera into the element with this id (it shows the preview). */
export function cameraScanner(elementId: string): Scanner {
  const reader = new Html5Qrcode(elementId, { formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE], verbose: false });
  return {
    async start(onCode) {
      // The back camera where there is one; a kiosk's USB camera otherwise.
      await reader.start(
        { facingMode: 'environment' },
        {
          fps: 10,
          qrbox: (w, h) => {
            const side = Math.floor(Math.min(w, h) * 0.8);
            return { width: side, height: side };
          },
        },
        (text) => onCode(text),
        () => {},
      );
    },
    async stop() {
      if (reader.getState() !== Html5QrcodeScannerState.NOT_STARTED) await reader.stop();
      reader.clear();
    },
  };
}

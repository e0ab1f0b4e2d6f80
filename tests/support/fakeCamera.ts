// Chromium's fake camera plays a video file: a still QR code, made from the code's own QR matrix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';

const WIDTH = 640;
const HEIGHT = 480;
const FRAMES = 40;

/**
 * A YUV4MPEG2 (4:2:0) video of a QR code held up to the camera: black modules on white, shown at a
 * few sizes in turn (as a hand moves it), each inside the middle 80% the scanner reads — at one fixed
 * size some codes are never decoded.
 */
export function qrVideo(text: string): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const frameAt = (fill: number) => {
    const scale = Math.max(1, Math.floor((fill * Math.min(WIDTH, HEIGHT)) / modules.size));
    const side = scale * modules.size;
    const left = Math.floor((WIDTH - side) / 2);
    const top = Math.floor((HEIGHT - side) / 2);
    const luma = Buffer.alloc(WIDTH * HEIGHT, 255);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        if (modules.get(Math.floor(y / scale), Math.floor(x / scale))) luma[(top + y) * WIDTH + left + x] = 0;
      }
    }
    const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
    return Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  };
  const sizes = [0.45, 0.55, 0.65, 0.75].map(frameAt);
  const frames = Array.from({ length: FRAMES }, (_, i) => sizes[Math.floor(i / 5) % sizes.length]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`), ...frames]);
}

/** A QR video of this text in a temporary folder, and the Chromium flags that make it the camera. */
export function fakeCamera(text: string): { args: string[]; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-camera-'));
  const video = path.join(dir, 'code.y4m');
  fs.writeFileSync(video, qrVideo(text));
  return {
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

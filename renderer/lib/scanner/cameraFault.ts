// Why the camera did not start, as a word the page translates. Browsers reject getUserMedia with a
// DOMException whose name says why; html5-qrcode passes it on as text ("… error = NotAllowedError: …").

export const CAMERA_FAULTS = ['denied', 'no-camera', 'busy', 'insecure', 'unsupported', 'failed'] as const;
export type CameraFault = (typeof CAMERA_FAULTS)[number];

const BY_NAME: [RegExp, CameraFault][] = [
  [/NotAllowedError|PermissionDeniedError|SecurityError/, 'denied'],
  [/NotFoundError|DevicesNotFoundError|OverconstrainedError/, 'no-camera'],
  [/NotReadableError|TrackStartError|AbortError/, 'busy'],
  [/streaming not supported/i, 'unsupported'],
];

/** secure: whether the page may use the camera at all (browsers give it to HTTPS and localhost only). */
export function cameraFault(error: unknown, secure: boolean): CameraFault {
  if (!secure) return 'insecure';
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return BY_NAME.find(([pattern]) => pattern.test(text))?.[1] ?? 'failed';
}

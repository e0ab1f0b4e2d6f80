// A spreadsheet picked in a file input and sent to the server (a roster, a lab's result file):
// size checked before sending, progress while it goes, the report kept with the file's name,
// failures shown like any action.
import { ref, type Ref } from 'vue';
import type { UploadProgress } from './http';
import { useAction } from './useAction';

/** maxBytes: the server's limit for this upload (shared/api.ts): a roster's, or a workbook's (a lab's result file). */
export function useFileUpload<R>(
  request: (file: File, onProgress: (p: UploadProgress) => void) => Promise<R>,
  tooBig: (mb: number) => string,
  maxBytes: number,
) {
  const { busy, error, run } = useAction();
  const report: Ref<{ filename: string; report: R } | null> = ref(null);
  /** While a request runs: how far the upload is, or that the server is at work. */
  const progress: Ref<UploadProgress | null> = ref(null);

  /** The file chosen in an input's change event; null when none, or too big (the error says so). */
  function pick(event: Event): File | null {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) uploads again.
    input.value = '';
    if (!file) return null;
    report.value = null;
    error.value = null;
    if (file.size > maxBytes) {
      error.value = tooBig(maxBytes / 1024 / 1024);
      return null;
    }
    return file;
  }

  /** Sends a file; resolves to whether a report arrived. */
  async function send(file: File): Promise<boolean> {
    report.value = null;
    const result = await run(() => request(file, (p) => (progress.value = p)));
    progress.value = null;
    if (result === undefined) return false;
    report.value = { filename: file.name, report: result };
    return true;
  }

  /** The input's change handler: picks and sends at once. */
  async function upload(event: Event): Promise<boolean> {
    const file = pick(event);
    return file ? send(file) : false;
  }

  return { busy, error, report, progress, pick, send, upload };
}

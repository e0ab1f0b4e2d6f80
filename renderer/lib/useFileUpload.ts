// A spreadsheet picked in a file input and sent to the server (a roster, a lab's result file):
// size checked before sending, the report kept with the file's name, failures shown like any action.
import { ref, type Ref } from 'vue';
import { MAX_ROSTER_BYTES } from '../../shared/api';
import { useAction } from './useAction';

export function useFileUpload<R>(send: (file: File) => Promise<R>, tooBig: (mb: number) => string) {
  const { busy, error, run } = useAction();
  const report: Ref<{ filename: string; report: R } | null> = ref(null);

  /** The input's change handler; resolves to whether a report arrived. */
  async function upload(event: Event): Promise<boolean> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same file again (after fixing it) uploads again.
    input.value = '';
    if (!file) return false;
    report.value = null;
    if (file.size > MAX_ROSTER_BYTES) {
      error.value = tooBig(MAX_ROSTER_BYTES / 1024 / 1024);
      return false;
    }
    const result = await run(() => send(file));
    if (result === undefined) return false;
    report.value = { filename: file.name, report: result };
    return true;
  }

  return { busy, error, report, upload };
}

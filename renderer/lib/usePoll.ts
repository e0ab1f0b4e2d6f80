// A phone page's data from a polled answer (a resident's turn page, /points) instead of a socket:
// a phone each, at city scale, would be a socket each. It asks when the last answer said to
// (shared/poll.ts), sending back the tag of what it has, so an unchanged answer is a bodiless 304;
// it stops asking while the page is hidden and asks at once when it is shown again or the network
// comes back; after failures it waits longer each time; and it says since when its data is stale,
// showing the copy it kept after a reload while the server is away.
import { onMounted, onUnmounted, ref, watch, type Ref } from 'vue';
import { nextPollMs, type Polled } from '../../shared/poll';
import { loadCopy, saveCopy } from './deviceCopy';

export type PollState = 'connecting' | 'live' | 'offline';

/** An answer that takes longer than this counts as no answer (a half-open connection after a Wi-Fi drop). */
const ANSWER_TIMEOUT_MS = 8_000;

export interface PollOptions<T> {
  /** Where the page keeps its last answer on the device (deviceCopy.ts). */
  copyKey: string;
  /** Whether a kept answer is this page's (the same group). */
  fits: (view: T) => boolean;
}

/** `path`: what the page polls; a new path (another group's page in the same tab) starts over. */
export function usePoll<T extends Polled>(path: Ref<string>, { copyKey, fits }: PollOptions<T>) {
  /** The last answer; null when the server says there is nothing at this path (404). */
  const view = ref<T | null>(null) as Ref<T | null>;
  /** An answer (or a kept copy) is in: until then the page has nothing true to show. */
  const loaded = ref(false);
  const state = ref<PollState>('connecting');
  /** While not live: since when what the page shows has not been updated (the last answer, or when it first failed). */
  const staleSince = ref<Date | null>(null);

  let etag: string | null = null;
  let lastAnswerAt: number | null = null;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every restart: an answer to an older question is dropped. */
  let generation = 0;

  async function ask(): Promise<void> {
    const mine = ++generation;
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      const res = await fetch(path.value, {
        headers: etag ? { 'If-None-Match': etag } : {},
        cache: 'no-store',
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
      if (mine !== generation) return;
      if (res.status === 200) {
        view.value = (await res.json()) as T;
        etag = res.headers.get('etag');
      } else if (res.status === 404) {
        view.value = null;
        etag = null;
      } else if (res.status !== 304) {
        throw new Error(`${res.status}`);
      }
      if (mine !== generation) return;
      answered();
    } catch {
      if (mine !== generation) return;
      failed();
    }
    schedule();
  }

  function answered(): void {
    failures = 0;
    lastAnswerAt = Date.now();
    loaded.value = true;
    state.value = 'live';
    staleSince.value = null;
    if (view.value) saveCopy(copyKey, view.value, lastAnswerAt);
  }

  function failed(): void {
    failures += 1;
    state.value = 'offline';
    if (lastAnswerAt !== null) {
      staleSince.value = new Date(lastAnswerAt);
      return;
    }
    // Nothing from the server since the page opened: the kept copy, as of when it was live.
    const copy = loaded.value ? null : loadCopy<T>(copyKey, fits);
    if (copy) {
      view.value = copy.data;
      loaded.value = true;
      lastAnswerAt = copy.liveAt;
      staleSince.value = new Date(copy.liveAt);
    } else {
      staleSince.value ??= new Date();
    }
  }

  function schedule(): void {
    if (document.hidden) return; // asked again when shown
    timer = setTimeout(() => void ask(), nextPollMs(failures, view.value));
  }

  const now = () => void ask();
  const onVisibility = () => {
    if (document.hidden) {
      if (timer) clearTimeout(timer);
      timer = null;
    } else {
      now();
    }
  };

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', now);
    now();
  });
  onUnmounted(() => {
    generation++;
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('online', now);
  });
  watch(path, () => {
    view.value = null;
    loaded.value = false;
    state.value = 'connecting';
    staleSince.value = null;
    etag = null;
    lastAnswerAt = null;
    failures = 0;
    now();
  });

  return { view, loaded, state, staleSince };
}

// @vitest-environment happy-dom
// The kiosk's search for someone without a code waits for the typing to pause (the device's searches
// are limited), and a query that turns too vague before then is never sent. On fake timers.
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { defineComponent, h } from 'vue';
import { RESIDENT_SEARCH_PATH } from '../../shared/residentSearch';
import ResidentSearch from '../../renderer/components/ResidentSearch.vue';
import { i18n, loadMoreMessages } from '../../renderer/i18n';
import { provideRole } from '../../renderer/lib/role';

let fetches: MockInstance<typeof fetch>;
/** The queries the search sent, in order. */
const searched = () =>
  fetches.mock.calls
    .map(([input]) => new URL(String(input), 'http://kiosk'))
    .filter((url) => url.pathname === RESIDENT_SEARCH_PATH)
    .map((url) => url.searchParams.get('q'));

beforeAll(() => loadMoreMessages()); // the kiosk's search texts are staff-side messages

beforeEach(() => {
  vi.useFakeTimers();
  // Each search is recorded and fails as it would with the server unreachable.
  fetches = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function kioskSearch() {
  const Page = defineComponent({ setup: () => (provideRole('kiosk'), () => h(ResidentSearch)) });
  return mount(Page, { global: { plugins: [createPinia(), i18n] } }).find('[data-testid="search-input"]');
}

describe('resident search while typing', () => {
  it('sends the query once typing has paused for 400 ms, and only the last one', async () => {
    const field = kioskSearch();
    await field.setValue('zs');
    await vi.advanceTimersByTimeAsync(300);
    await field.setValue('zsf');
    await vi.advanceTimersByTimeAsync(399);
    expect(searched()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(searched()).toEqual(['zsf']);
  });

  it('never sends a query that became too vague before the pause', async () => {
    const field = kioskSearch();
    await field.setValue('zs');
    await vi.advanceTimersByTimeAsync(200);
    await field.setValue('z');
    await vi.advanceTimersByTimeAsync(2000);
    expect(searched()).toEqual([]);
  });
});

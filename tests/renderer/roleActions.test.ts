// @vitest-environment happy-dom
// The pages offer each role only what the permissions tables let it do: the same components mounted
// under one role and another, the buttons each one shows. The roles' rights come from the tables
// (shared/permissions.ts, groupStates.ts, routePermissions.ts); the components name no role.
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { defineComponent, h, nextTick, type Component } from 'vue';
import type { BoxView } from '../../shared/labApi';
import { CONFLICTS_PATH } from '../../shared/offlineScans';
import type { GroupView } from '../../shared/protocol';
import type { RouteAccess } from '../../shared/routePermissions';
import DeskGroup from '../../renderer/components/DeskGroup.vue';
import FormingGroup from '../../renderer/components/FormingGroup.vue';
import HallControls from '../../renderer/components/HallControls.vue';
import LabBoxes from '../../renderer/components/LabBoxes.vue';
import RecentScans from '../../renderer/components/RecentScans.vue';
import ScanConflicts from '../../renderer/components/ScanConflicts.vue';
import TeamPanel from '../../renderer/components/coverage/TeamPanel.vue';
import VolunteerGroup from '../../renderer/components/VolunteerGroup.vue';
import { i18n, loadMoreMessages } from '../../renderer/i18n';
import { provideRole } from '../../renderer/lib/role';
import { useQueueStore } from '../../renderer/stores/queue';
import type { ScanEntry } from '../../renderer/stores/scans';
import { groupView } from '../support/groupView';

const member = (id: number, position: number) => ({ id, position, maskedName: `张*${id}`, status: 'queued' as const });
const group = (state: GroupView['state'], extra: Partial<GroupView> = {}): GroupView =>
  groupView(7, state, { members: [member(70, 1), member(71, 2)], createdAt: '2026-12-01T08:00:00Z', desk: null, ...extra });

let pinia: Pinia;

beforeAll(async () => {
  await loadMoreMessages(); // the staff-side components' Chinese texts
});

let fetches: MockInstance<typeof fetch>;

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
  // No server here: every request is recorded and fails as with the server unreachable.
  fetches = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('Failed to fetch'));
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The component as a page signed in as `role` shows it (the page provides its role to everything below). */
function mountAs(role: RouteAccess, component: Component, props: Record<string, unknown>) {
  const Page = defineComponent({ setup: () => (provideRole(role), () => h(component, props)) });
  return mount(Page, { global: { plugins: [pinia, i18n] } });
}

/** The data-testids of the buttons and forms shown, in the order shown. */
const shown = (wrapper: ReturnType<typeof mount>, ...ids: string[]) => ids.filter((id) => wrapper.find(`[data-testid="${id}"]`).exists());

describe('queue actions follow the socket table and the group state machine', () => {
  it('a waiting group with its tube labelled: the volunteer calls it or lets it in; the kiosk only lets it in', async () => {
    const waiting = group('waiting', { tubeCode: 'NQT-0000000001' });
    const ids = ['call-A-007', 'start-now-A-007'];
    expect(shown(mountAs('volunteer', VolunteerGroup, { group: waiting }), ...ids)).toEqual(ids);
    expect(shown(mountAs('kiosk', VolunteerGroup, { group: waiting }), ...ids)).toEqual(['start-now-A-007']);
    expect(shown(mountAs('display', VolunteerGroup, { group: waiting }), ...ids)).toEqual([]);
  });

  it('a called group: the volunteer may put it back in line, ticks people off and marks them absent; the display none of it', async () => {
    const called = group('called');
    const ids = ['recall-A-007', 'present-70', 'absent-70'];
    const asVolunteer = mountAs('volunteer', VolunteerGroup, { group: called });
    await asVolunteer.find('[data-testid="expand-A-007"]').trigger('click');
    expect(shown(asVolunteer, ...ids)).toEqual(ids);
    const asDisplay = mountAs('display', VolunteerGroup, { group: called });
    await asDisplay.find('[data-testid="expand-A-007"]').trigger('click');
    expect(asDisplay.find('[data-testid="member-70"]').exists()).toBe(true);
    expect(shown(asDisplay, ...ids)).toEqual([]);
  });

  it('the desk starts and seals tubes for the kiosk; a volunteer sees the groups but neither button', () => {
    const ids = ['start-A-007', 'tube-label-A-007', 'seal-A-007'];
    expect(shown(mountAs('kiosk', DeskGroup, { group: group('called') }), ...ids)).toEqual(['start-A-007', 'tube-label-A-007']);
    expect(shown(mountAs('kiosk', DeskGroup, { group: group('sampling', { tubeCode: 'T-123456' }) }), ...ids)).toEqual(['seal-A-007']);
    expect(shown(mountAs('volunteer', DeskGroup, { group: group('called') }), ...ids)).toEqual([]);
    expect(shown(mountAs('volunteer', DeskGroup, { group: group('sampling', { tubeCode: 'T-123456' }) }), ...ids)).toEqual([]);
  });

  it('a forming group is closed by anyone who forms groups, not by the display', () => {
    const forming = group('forming');
    expect(shown(mountAs('kiosk', FormingGroup, { group: forming, poolSize: 10 }), 'close-group')).toEqual(['close-group']);
    expect(shown(mountAs('volunteer', FormingGroup, { group: forming, poolSize: 10 }), 'close-group')).toEqual(['close-group']);
    expect(shown(mountAs('display', FormingGroup, { group: forming, poolSize: 10 }), 'forming-group', 'close-group')).toEqual([
      'forming-group',
    ]);
  });

  it("the hall settings and notice are the volunteer's and staff's; a kiosk gets no hall controls at all", () => {
    const ids = ['hall-controls', 'hall-save', 'hall-banner-post'];
    expect(shown(mountAs('volunteer', HallControls, { point: 'A' }), ...ids)).toEqual(ids);
    expect(shown(mountAs('staff', HallControls, { point: 'A' }), ...ids)).toEqual(ids);
    expect(shown(mountAs('kiosk', HallControls, { point: 'A' }), ...ids)).toEqual([]);
  });

  it('undo of a wrong add is offered to the kiosk, which may take a member out, and to no volunteer', () => {
    useQueueStore().$patch((state) => void (state.groups = new Map([[7, group('forming')]])));
    const entries: ScanEntry[] = [
      {
        seq: 1,
        at: new Date('2026-12-01T08:01:00Z'),
        input: 'NQ1:x:y',
        source: 'scan',
        via: 'scanner',
        result: {
          status: 'done',
          outcome: {
            kind: 'added',
            resident: { name: '张*', household: '3-1-501', tags: [] },
            group: { id: 7, label: 'A-007', position: 2, poolSize: 10 },
            full: false,
            memberId: 71,
          },
        },
      },
    ];
    expect(shown(mountAs('kiosk', RecentScans, { entries }), 'recent-scan', 'undo-scan')).toEqual(['recent-scan', 'undo-scan']);
    expect(shown(mountAs('volunteer', RecentScans, { entries }), 'recent-scan', 'undo-scan')).toEqual(['recent-scan']);
  });
});

describe('HTTP actions follow the routes table', () => {
  const box = (code: string, state: BoxView['state']): BoxView =>
    ({
      code,
      state,
      tubes: ['T-000001'],
      openedAt: '2026-12-01T08:00:00Z',
      closedAt: null,
      courier: null,
      handedOverAt: null,
      receiver: null,
      receivedCount: null,
      receivedAt: null,
    }) as BoxView;

  it('a kiosk may open and close boxes but not hand them to the courier; staff do all three', () => {
    const boxes = [box('B-1', 'open'), box('B-2', 'closed')];
    const close = i18n.global.t('lab.boxes.close');
    const offered = (w: ReturnType<typeof mount>) => ({
      open: w.find('form.scan-form').exists(),
      close: w.findAll('button').some((b) => b.text() === close),
      handOver: w.find('[data-testid="hand-over"]').exists(),
    });
    expect(offered(mountAs('staff', LabBoxes, { boxes }))).toEqual({ open: true, close: true, handOver: true });
    expect(offered(mountAs('kiosk', LabBoxes, { boxes }))).toEqual({ open: true, close: true, handOver: false });
  });

  it('home-sampling teams are made and their links reissued by staff only', () => {
    const teams = [{ name: '一队', issuedAt: '2026-12-01T08:00:00Z', credential: 'c'.repeat(43) }];
    const ids = ['team-new-name', 'team-create', 'team-show', 'team-reissue'];
    expect(shown(mountAs('staff', TeamPanel, { teams }), ...ids)).toEqual(ids);
    expect(shown(mountAs('volunteer', TeamPanel, { teams }), ...ids)).toEqual(['team-show']);
  });

  it('a list a role may not read is neither shown nor asked for', async () => {
    const asked = () => fetches.mock.calls.filter(([url]) => String(url).includes(CONFLICTS_PATH)).length;
    const asKiosk = mountAs('kiosk', ScanConflicts, {});
    await nextTick();
    expect(asKiosk.find('[data-testid="scan-conflicts"]').exists()).toBe(false);
    expect(asked()).toBe(0);
    const asStaff = mountAs('staff', ScanConflicts, {});
    expect(asStaff.find('[data-testid="scan-conflicts"]').exists()).toBe(true);
    await vi.waitFor(() => expect(asked()).toBe(1), { timeout: 5000 });
  });
});

// Every role's page is a route of the one app; pages load on demand so the kiosk does not carry the print code.
import { createRouter, createWebHistory } from 'vue-router';
import { loadMoreMessages } from './i18n';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (the home page is titled by the app name alone). */
    title?: string;
    /** The hall display is dark for contrast at a distance. */
    dark?: boolean;
    /** A resident's phone page: needs only the messages in the first download (i18n/zh-CN.ts). */
    phone?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: () => import('./pages/HomePage.vue'), meta: { phone: true } },
    { path: '/kiosk', component: () => import('./pages/KioskPage.vue'), meta: { title: 'home.kiosk.title' } },
    { path: '/display', component: () => import('./pages/DisplayPage.vue'), meta: { title: 'home.display.title', dark: true } },
    { path: '/volunteer', component: () => import('./pages/VolunteerPage.vue'), meta: { title: 'home.volunteer.title' } },
    { path: '/staff', component: () => import('./pages/StaffPage.vue'), meta: { title: 'home.staff.title' } },
    { path: '/turn/:groupId', component: () => import('./pages/TurnPage.vue'), meta: { title: 'turn.title', phone: true } },
    { path: '/lab', component: () => import('./pages/LabPage.vue'), meta: { title: 'lab.title' } },
    // ---- rounds and coverage ----
    { path: '/coverage', component: () => import('./pages/CoveragePage.vue'), meta: { title: 'coverage.title' } },
    { path: '/home-visits', component: () => import('./pages/HomeVisitPage.vue'), meta: { title: 'coverage.homeVisit.title' } },
    // ---- points overview ----
    { path: '/points', component: () => import('./pages/PointsPage.vue'), meta: { title: 'points.title', phone: true } },
    // ---- residents' own codes ----
    { path: '/me', component: () => import('./pages/MePage.vue'), meta: { title: 'me.title', phone: true } },
    // (pages above this line)
    { path: '/:unknown(.*)*', redirect: '/' },
  ],
});

// Every other page brings the rest of the Chinese messages first (English comes whole when chosen).
router.beforeEach(async (to) => {
  // Should even that fail (offline, never cached), the page still opens rather than stay blank.
  if (!to.meta.phone) await loadMoreMessages().catch(() => {});
});

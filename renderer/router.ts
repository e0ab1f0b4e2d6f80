// Every role's page is a route of the one app; pages load on demand so the kiosk does not carry the print code.
import { createRouter, createWebHistory } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (the home page is titled by the app name alone). */
    title?: string;
    /** The hall display is dark for contrast at a distance. */
    dark?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: () => import('./pages/HomePage.vue') },
    { path: '/kiosk', component: () => import('./pages/KioskPage.vue'), meta: { title: 'home.kiosk.title' } },
    { path: '/display', component: () => import('./pages/DisplayPage.vue'), meta: { title: 'home.display.title', dark: true } },
    { path: '/volunteer', component: () => import('./pages/VolunteerPage.vue'), meta: { title: 'home.volunteer.title' } },
    { path: '/staff', component: () => import('./pages/StaffPage.vue'), meta: { title: 'home.staff.title' } },
    { path: '/turn/:groupId', component: () => import('./pages/TurnPage.vue'), meta: { title: 'turn.title' } },
    { path: '/lab', component: () => import('./pages/LabPage.vue'), meta: { title: 'lab.title' } },
    // ---- rounds and coverage ----
    { path: '/coverage', component: () => import('./pages/CoveragePage.vue'), meta: { title: 'coverage.title' } },
    { path: '/home-visits', component: () => import('./pages/HomeVisitPage.vue'), meta: { title: 'coverage.homeVisit.title' } },
    // ---- points overview ----
    { path: '/points', component: () => import('./pages/PointsPage.vue'), meta: { title: 'points.title' } },
    // ---- residents' own codes ----
    { path: '/me', component: () => import('./pages/MePage.vue'), meta: { title: 'me.title' } },
    // (pages above this line)
    { path: '/:unknown(.*)*', redirect: '/' },
  ],
});

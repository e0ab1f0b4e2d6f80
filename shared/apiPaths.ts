// Every HTTP path the pages call, kept apart from the request bodies' zod schemas (shared/api.ts,
// shared/labApi.ts re-export them): a page that only reads, a resident's phone, downloads no zod.

export const API = {
  health: '/api/health',
  /** GET (public): SiteInfo, what every page must know of the site before it shows a time. */
  site: '/api/site',
  login: '/api/login',
  /** POST the file itself as the body (CSV or XLSX), with ?filename=… ; staff only. */
  rosterImport: '/api/roster/import',
  /** POST the same file as to rosterImport; staff only. Reads and checks it, writes nothing: a RosterPreview. */
  rosterPreview: '/api/roster/preview',
  /** GET ; staff only: an empty roster with every column's Chinese header (shared/roster rosterColumns), as CSV or XLSX. */
  rosterTemplateCsv: '/api/roster/template.csv',
  rosterTemplateXlsx: '/api/roster/template.xlsx',
  /** GET ?building=3 ; staff only: every household's printable resident codes. */
  householdCodes: '/api/households/codes',
  /** GET ; staff only: buildings with household and resident counts. */
  buildings: '/api/buildings',
  /** POST with the token: ends its session on every node (HTTP and sockets). */
  logout: '/api/logout',
  /** POST with the token: the token to use from now on (a fresh one once a quarter of its life has passed). */
  renew: '/api/renew',
  /** POST PinChangeRequest ; staff only: a role's new PIN; that role's tokens stop working. */
  pinChange: '/api/pins',
} as const;

export const LAB_API = {
  /** GET: boxes, reconciliation, transit alerts (staff); POST {code}: open a box (kiosk, staff). */
  boxes: '/api/lab/boxes',
  /** POST {tubeCode}: a sealed tube into an open box. */
  boxTubes: '/api/lab/boxes/:box/tubes',
  /** POST: no more tubes go in. */
  boxClose: '/api/lab/boxes/:box/close',
  /** POST {name, phone, key?}: the courier signs for the closed box (a retry with the key gets the first reply). */
  boxHandOver: '/api/lab/boxes/:box/hand-over',
  /** POST {receiver, count, key?}: the lab receiver counts the tubes. */
  boxReceive: '/api/lab/boxes/:box/receive',
  /** GET / POST {warnMinutes, hardMinutes}: the transit timer limits (staff). */
  transitLimits: '/api/lab/transit-limits',
  /** POST the lab's CSV/XLSX as the body, with ?filename=… */
  resultsImport: '/api/lab/results/import',
  /** GET: residents who must give a new single-tube sample, with rooms and phones (staff). */
  retests: '/api/lab/retests',
  /** POST {code}: a resident's own result, by their printed code (no login; rate-limited). */
  ownResult: '/api/lab/own-result',
  /** GET ?format=csv|xlsx: the whole audit trail (staff). */
  auditExport: '/api/audit/export',
} as const;

export const ME_API = {
  /** POST FindCodeRequest → FoundCode (bodies in shared/meApi.ts; no login; rate-limited per address). */
  find: '/api/me/find',
  /** POST PreregisterRequest → FoundCode, marked unverified (no login; same limit). */
  preregister: '/api/me/preregister',
  /** POST StatusRequest → PersonStatus[]: sampled when, in which group, the result (no login; by the person's code). */
  status: '/api/me/status',
  /** GET: pre-registrations not yet confirmed (staff). */
  preregistrations: '/api/me/preregistrations',
  /** POST ConfirmPreregistrationsRequest: staff checked the ID cards (staff). */
  confirm: '/api/me/preregistrations/confirm',
} as const;

/** People one phone keeps (the resident and family members, 家庭代登记). */
export const MAX_PEOPLE_ON_PHONE = 10;

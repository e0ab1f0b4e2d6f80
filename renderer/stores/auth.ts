// Access tokens per role, kept in localStorage so a kiosk survives a page reload; renewed while a
// page uses them, ended by a logout.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LoginResponse } from '../../shared/api';
import { API } from '../../shared/apiPaths';
import { PIN_ROLES, type Role } from '../../shared/roles';
import { request } from '../lib/http';
import { RequestError } from '../lib/errors';

const storageKey = (role: Role) => `nat-queue.token.${role}`;
/** After a renewal that got no answer (offline), the next try waits this long. */
const RETRY_RENEWAL_MS = 60_000;
const RENEWAL_TIMEOUT_MS = 5_000;

/** A token and when to renew it, on this device's clock (the server speaks in relative times). */
interface Saved {
  token: string;
  renewAt: number;
}

function loadSaved(role: Role): Saved | null {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(role)) ?? 'null') as Partial<Saved> | null;
    return typeof saved?.token === 'string' && typeof saved.renewAt === 'number' ? { token: saved.token, renewAt: saved.renewAt } : null;
  } catch {
    return null; // a token of an older version: the PIN form asks again
  }
}

export const useAuthStore = defineStore('auth', () => {
  const saved = Object.fromEntries(
    PIN_ROLES.flatMap((role) => {
      const s = loadSaved(role);
      return s ? [[role, s]] : [];
    }),
  ) as Partial<Record<Role, Saved>>;
  const tokens = ref<Partial<Record<Role, string>>>(Object.fromEntries(Object.entries(saved).map(([role, s]) => [role, s.token])));
  const renewAt: Partial<Record<Role, number>> = Object.fromEntries(Object.entries(saved).map(([role, s]) => [role, s.renewAt]));
  const renewing = new Map<Role, Promise<void>>();
  /** Requests whose answer brings a new login for the role (a staff PIN change). */
  const loginsDue = new Map<Role, Promise<unknown>>();
  /** The role whose token the server just refused, so its PIN form can say why it is back. */
  const expired = ref<Role | null>(null);

  /** Keeps a login (or a renewal, or the new login after a staff PIN change). */
  function save(role: Role, res: LoginResponse): void {
    const entry: Saved = { token: res.token, renewAt: Date.now() + res.renewIn };
    tokens.value[role] = entry.token;
    renewAt[role] = entry.renewAt;
    expired.value = null;
    localStorage.setItem(storageKey(role), JSON.stringify(entry));
  }

  async function login(role: Role, pin: string): Promise<void> {
    save(role, await request<LoginResponse>(API.login, { json: { role, pin } }));
  }

  function forget(role: Role, becauseRefused = false): void {
    delete tokens.value[role];
    delete renewAt[role];
    localStorage.removeItem(storageKey(role));
    if (becauseRefused) expired.value = role;
  }

  /**
   * Ends the session on the server (every node, every socket holding it) and here. The page is back at
   * its PIN form at once; without a connection the token is still forgotten here.
   */
  async function logout(role: Role): Promise<void> {
    const token = tokens.value[role];
    forget(role);
    if (token) await request(API.logout, { method: 'POST', token, timeoutMs: RENEWAL_TIMEOUT_MS }).catch(() => {});
  }

  /** Trades the token for a fresh one once it is due; resolves (never rejects) when there is nothing more to do. */
  function renew(role: Role): Promise<void> {
    const token = tokens.value[role];
    if (!token || Date.now() < (renewAt[role] ?? 0)) return Promise.resolve();
    const pending = renewing.get(role);
    if (pending) return pending;
    const done = request<LoginResponse>(API.renew, { method: 'POST', token, timeoutMs: RENEWAL_TIMEOUT_MS })
      .then(
        (res) => {
          if (tokens.value[role] === token) save(role, res);
        },
        (e) => {
          if (tokens.value[role] !== token) return;
          if (e instanceof RequestError && e.code === 'unauthorized') forget(role, true);
          else renewAt[role] = Date.now() + RETRY_RENEWAL_MS; // no answer: the token still works until it expires
        },
      )
      .finally(() => renewing.delete(role));
    renewing.set(role, done);
    return done;
  }

  /** Keeps the new login a request answers with (a staff PIN change); a socket refused meanwhile waits for it (`settled`). */
  function loginFrom<T extends { login?: LoginResponse }>(role: Role, pending: Promise<T>): Promise<T> {
    const saving = pending.then((answer) => {
      if (answer.login) save(role, answer.login);
      return answer;
    });
    loginsDue.set(role, saving);
    const done = () => {
      if (loginsDue.get(role) === saving) loginsDue.delete(role);
    };
    saving.then(done, done);
    return saving;
  }

  /** Once no renewal or new login for the role is on its way: then its token is the newest there will be. */
  async function settled(role: Role): Promise<void> {
    await Promise.allSettled([renewing.get(role), loginsDue.get(role)]);
  }

  return { tokens, expired, login, save, forget, logout, renew, loginFrom, settled };
});

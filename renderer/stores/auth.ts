// Access tokens per role, kept in localStorage so a kiosk survives a page reload.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LoginResponse } from '../../shared/api';
import { API } from '../../shared/apiPaths';
import { PIN_ROLES, type Role } from '../../shared/roles';
import { apiRequest } from '../lib/api';

const storageKey = (role: Role) => `nat-queue.token.${role}`;

function savedTokens(): Partial<Record<Role, string>> {
  const tokens: Partial<Record<Role, string>> = {};
  for (const role of PIN_ROLES) {
    const token = localStorage.getItem(storageKey(role));
    if (token) tokens[role] = token;
  }
  return tokens;
}

export const useAuthStore = defineStore('auth', () => {
  const tokens = ref(savedTokens());
  /** The role whose token the server just refused, so its PIN form can say why it is back. */
  const expired = ref<Role | null>(null);

  async function login(role: Role, pin: string): Promise<void> {
    const res = await apiRequest<LoginResponse>(API.login, { json: { role, pin } });
    tokens.value[role] = res.token;
    expired.value = null;
    localStorage.setItem(storageKey(role), res.token);
  }

  function forget(role: Role, becauseRefused = false): void {
    delete tokens.value[role];
    localStorage.removeItem(storageKey(role));
    if (becauseRefused) expired.value = role;
  }

  return { tokens, expired, login, forget };
});

// The people whose codes this phone keeps (the resident and family members, 家庭代登记): in this
// browser's storage only, never on the server. A code alone is what a phone needs to show the QR
// and ask for its proof of sampling; the masked name tells the family's cards apart.
import { ref } from 'vue';
import { MAX_PEOPLE_ON_PHONE } from '../../shared/apiPaths';
import type { FoundCode } from '../../shared/meApi';
import { parseResidentCode } from '../../shared/residentCode';

const STORAGE_KEY = 'nat-queue.me.people';

function load(): FoundCode[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(saved)) return [];
    return saved
      .filter((p): p is FoundCode => typeof p?.code === 'string' && parseResidentCode(p.code) !== null && typeof p.maskedName === 'string')
      .slice(0, MAX_PEOPLE_ON_PHONE);
  } catch {
    return [];
  }
}

export function usePeopleOnPhone() {
  const people = ref<FoundCode[]>(load());
  const save = () => localStorage.setItem(STORAGE_KEY, JSON.stringify(people.value));

  /** Adds or refreshes a person; false when the phone already holds ten others. */
  function keep(person: FoundCode): boolean {
    const at = people.value.findIndex((p) => p.code === person.code);
    if (at >= 0) people.value.splice(at, 1, person);
    else if (people.value.length >= MAX_PEOPLE_ON_PHONE) return false;
    else people.value.push(person);
    save();
    return true;
  }

  function forget(code: string): void {
    people.value = people.value.filter((p) => p.code !== code);
    save();
  }

  return { people, keep, forget, full: () => people.value.length >= MAX_PEOPLE_ON_PHONE };
}

// The roster check's codes in the page's language; a code this page does not know shows the server's English text.
import { useI18n } from 'vue-i18n';
import type { RejectedRow, RowPlace, RowWarning, SheetReport } from '../../shared/api';
import type { RosterField } from '../../shared/roster';

export function useRosterText() {
  const { t, te } = useI18n();
  const coded = (key: string, params: Record<string, string | number>, english: string) => (te(key) ? t(key, params) : english);
  return {
    // An ID fault reads as on the kiosk and /me; someone without an ID is the same person by name and room.
    reason: (r: RejectedRow) => {
      if (r.code === 'duplicate' && r.params.idType === 'none') return t('staff.reason.duplicate-no-id', r.params);
      return te(`staff.reason.${r.code}`) ? t(`staff.reason.${r.code}`, r.params) : coded(`idType.fault.${r.code}`, r.params, r.reason);
    },
    note: (w: RowWarning) => coded(`staff.note.${w.code}`, w.params, w.message),
    sheetProblem: (s: SheetReport) => (s.problem ? coded(`staff.sheetProblem.${s.problem.code}`, s.problem.params, s.problem.message) : ''),
    field: (f: RosterField) => t(`staff.field.${f}`),
    place: (p: RowPlace) => t('staff.check.place', { sheet: p.sheet, row: p.row }),
  };
}

// The roster check's codes in the page's language (their texts are typed against the codes in renderer/i18n).
import { useI18n } from 'vue-i18n';
import type { RejectedRow, RowPlace, RowWarning, SheetReport } from '../../shared/api';
import type { RosterField } from '../../shared/roster';

export function useRosterText() {
  const { t, te } = useI18n();
  return {
    // An ID fault reads as on the kiosk and /me; someone without an ID is the same person by name and room.
    reason: (r: RejectedRow) => {
      if (r.code === 'duplicate' && r.params.idType === 'none') return t('staff.reason.duplicate-no-id', r.params);
      return te(`staff.reason.${r.code}`) ? t(`staff.reason.${r.code}`, r.params) : t(`idType.fault.${r.code}`, r.params);
    },
    note: (w: RowWarning) => t(`staff.note.${w.code}`, w.params),
    sheetProblem: (s: SheetReport) => (s.problem ? t(`staff.sheetProblem.${s.problem.code}`, s.problem.params) : ''),
    field: (f: RosterField) => t(`staff.field.${f}`),
    place: (p: RowPlace) => t('staff.check.place', { sheet: p.sheet, row: p.row }),
  };
}

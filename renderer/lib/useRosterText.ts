// The roster check's codes in the page's language (their texts are typed against the codes in renderer/i18n).
import { useI18n } from 'vue-i18n';
import type { RejectedRow, RowPlace, RowWarning, SheetReport } from '../../shared/api';
import type { RosterField } from '../../shared/roster';

export function useRosterText() {
  const { t } = useI18n();
  return {
    reason: (r: RejectedRow) => t(`staff.reason.${r.code}`, r.params),
    note: (w: RowWarning) => t(`staff.note.${w.code}`, w.params),
    sheetProblem: (s: SheetReport) => (s.problem ? t(`staff.sheetProblem.${s.problem.code}`, s.problem.params) : ''),
    field: (f: RosterField) => t(`staff.field.${f}`),
    place: (p: RowPlace) => t('staff.check.place', { sheet: p.sheet, row: p.row }),
  };
}

import { MAX_CSV_ROWS, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_ROWS } from '../../shared/api';
import type { ReasonCode } from '../../shared/reasons';
import { ActionError } from '../queue/actionError';

/** A file that cannot be read as a table: a refusal with its reason (shared/reasons.ts `file.*`). */
export class RosterFileError<R extends ReasonCode = ReasonCode> extends ActionError<R> {
  override name = 'RosterFileError';
}

/** One non-empty row of a sheet, numbered as Excel shows it. */
export interface TableRow {
  row: number;
  cells: string[];
}

export const tooManyRows = (max: number) => new RosterFileError('file.too-many-rows', { max });

/** An XLSX over what a workbook may be: staff are told to save it as CSV, which may be far larger. */
export const workbookTooLarge = () =>
  new RosterFileError('file.workbook-too-large', {
    mb: MAX_WORKBOOK_BYTES / (1024 * 1024),
    rows: MAX_WORKBOOK_ROWS,
    csvRows: MAX_CSV_ROWS,
  });

import {
  decideDirectory,
  evolveDirectory,
  isDomainError,
  ValidationError,
  type Directory,
  type DirectoryCommand,
  type DirectoryEvent,
  type DomainContext,
} from '@verity/domain';
import type { RowIssue } from './import-directory.request';

/**
 * Folds the rows through the directory's decide one by one (as `decideDirectoryBatch` does) but
 * keeps going after a refused row, so every row's problem is named; `rows[i]` is the file's row
 * number of `batch[i]`. The import appends the events only when there is no issue; the preview
 * shows both.
 */
export function decideImportRows(
  batch: DirectoryCommand[],
  rows: number[],
  state: Directory,
  context: DomainContext,
): { events: DirectoryEvent[]; issues: RowIssue[] } {
  const events: DirectoryEvent[] = [];
  const issues: RowIssue[] = [];
  let current = state;
  batch.forEach((command, index) => {
    try {
      const produced = decideDirectory(command, current, context);
      current = produced.reduce(evolveDirectory, current);
      events.push(...produced);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const row = rows[index];
      if (error instanceof ValidationError && error.issues.length > 0) {
        for (const issue of error.issues) issues.push({ row, ...issue });
      } else {
        issues.push({ row, path: '(row)', rule: error.code, message: error.message });
      }
    }
  });
  return { events, issues };
}

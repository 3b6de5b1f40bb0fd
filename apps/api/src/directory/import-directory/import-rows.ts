import {
  decideDirectoryEach,
  directoryDecider,
  ValidationError,
  type Directory,
  type DirectoryCommand,
  type DirectoryEvent,
  type DomainContext,
} from '@verity/domain';
import type { RowIssue } from './import-directory.request';

/**
 * The directory's decider for an import: the rows decided in order by the domain
 * (`decideDirectoryEach`), every refused row named with its row of the file (`rows[i]` is the row
 * of `commands[i]`) and handed to `onIssues`. The import refuses the whole file on any issue; the
 * preview shows them.
 */
export function importDecider(rows: number[], onIssues: (issues: RowIssue[]) => DirectoryEvent[] | void) {
  return {
    ...directoryDecider,
    decide(commands: DirectoryCommand[], state: Directory, context: DomainContext): DirectoryEvent[] {
      const { events, refused } = decideDirectoryEach(commands, state, context);
      const issues = refused.flatMap(({ index, error }): RowIssue[] =>
        error instanceof ValidationError && error.issues.length > 0
          ? error.issues.map((issue) => ({ row: rows[index], ...issue }))
          : [{ row: rows[index], path: '(row)', rule: error.code, message: error.message }],
      );
      onIssues(issues);
      return events;
    },
  };
}

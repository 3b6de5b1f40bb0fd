import { z } from 'zod';
import { Count, FieldIssueResponse } from '../../openapi/answer-pieces';

/** POST /directory/import: how many rows were imported and events appended, at which revision. */
export const ImportDirectoryResponse = z.strictObject({
  imported: Count,
  revision: z.string().nullable(),
  events: Count,
});

/** POST /directory/import/preview: each row accepted or refused with its reasons; nothing written. */
export const PreviewDirectoryImportResponse = z.strictObject({
  rows: z.array(
    z.strictObject({
      row: z.number().int(),
      command: z.string().nullable(),
      id: z.string().nullable(),
      accepted: z.boolean(),
      issues: z.array(FieldIssueResponse),
    }),
  ),
  accepted: Count,
  refused: Count,
  /** True when `POST /directory/import` of the same body would import every row now. */
  importable: z.boolean(),
  revision: z.string().nullable(),
  /** The events the import would append, counted by type (empty while a row is refused). */
  events: z.array(z.strictObject({ type: z.string(), count: Count })),
});

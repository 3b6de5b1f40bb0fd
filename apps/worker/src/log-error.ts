/**
 * An error as the worker's services log it, `<where>: <message>`: the message only, never the
 * failing batch's events or a command's data, which may carry personal data.
 */
export function errorLine(where: string, error: unknown): string {
  return `${where}: ${error instanceof Error ? error.message : String(error)}`;
}

import { EMPLOYEES_AND_MANAGERS, MANAGERS_AND_HR } from '../auth/role-sets';
import type { CommandRoute } from '../commands/command-routes';

/** What one of a plan's routes sends: its command, what it does, its example body. */
type PlanCommand = Pick<CommandRoute, 'command' | 'summary' | 'example'>;

const row = (path: string, roles: CommandRoute['roles'], { command, summary, example }: PlanCommand) => ({
  command,
  path: `:planId/${path}`,
  roles,
  summary,
  example,
});

/**
 * The four routes of a plan, a week's or a day's (a day is planned as a week is, ADR 0154): the
 * planner submits it and reports it; their superior or HR annotates it and scores it.
 */
export function planRoutes(commands: {
  submit: PlanCommand;
  summarize: PlanCommand;
  annotate: PlanCommand;
  score: PlanCommand;
}): CommandRoute[] {
  return [
    row('submit', EMPLOYEES_AND_MANAGERS, commands.submit),
    row('summary', EMPLOYEES_AND_MANAGERS, commands.summarize),
    row('annotations', MANAGERS_AND_HR, commands.annotate),
    row('score', MANAGERS_AND_HR, commands.score),
  ];
}

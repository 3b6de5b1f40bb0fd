import '../app.module';
import {
  allCommandRoutes,
  bodySchemaOf,
  commandOfRoute,
  paramsOf,
  parseCommand,
  type CommandRoute,
} from './command-routes';

/** What a call gives: the command as JSON text (field order included), or the problem it throws. */
function outcome(run: () => unknown): string {
  try {
    return `ok ${JSON.stringify(run())}`;
  } catch (error) {
    const problem = error as { status?: number; extensions?: unknown };
    return `${problem.status} ${JSON.stringify(problem.extensions)}`;
  }
}

/**
 * A route's command is parsed once, body and path apart (ADR 0177): for every route in the API, it
 * must be exactly what parsing the whole payload gave, on good path values and on bad ones.
 */
describe('a command route parses body and path once', () => {
  const routes = allCommandRoutes.map(({ route }) => route);

  it('covers every command route of the API', () => {
    expect(routes.length).toBeGreaterThan(35);
  });

  const pathValues = ['e-1', 'c2025', '2026-W10', 'not a valid id!', ''];
  it.each(pathValues)('gives what the whole payload gave, for path parameters %j', (value) => {
    const differences: string[] = [];
    for (const route of routes as CommandRoute[]) {
      const body = bodySchemaOf(route).parse(route.example) as Record<string, unknown>;
      const pathParams = Object.fromEntries(paramsOf(route.path).map((name) => [name, value]));
      const once = outcome(() => commandOfRoute(route)(body, pathParams));
      const whole = outcome(() => parseCommand(route.command, { ...body, ...pathParams }));
      if (once !== whole) differences.push(`${route.command} ${route.path}: ${once} ≠ ${whole}`);
    }
    expect(differences).toEqual([]);
  });
});

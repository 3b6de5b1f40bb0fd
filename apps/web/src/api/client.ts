import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * The JSON body of a route's 200 (or, for a creation, 201) answer as the OpenAPI document describes
 * it, for naming a payload's type in a screen (`ok` infers it for the call itself).
 */
export type Answer<
  Path extends keyof paths,
  Method extends 'get' | 'post' = 'get',
> = paths[Path][Method] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : paths[Path][Method] extends { responses: { 201: { content: { 'application/json': infer Created } } } }
    ? Created
    : never;

/** RFC 9457 problem details, as the API answers every error (field errors under `errors`). */
export type Problem = components['schemas']['Problem'];

let bearer: string | null = null;
/** The session's token, sent with every request (set at sign-in, cleared at sign-out). */
export function setBearer(token: string | null): void {
  bearer = token;
}

let unauthorized: (() => void) | null = null;
/** What happens when the API no longer accepts the session's token (a 401 to a signed request): the session ends. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorized = handler;
}

const authorization: Middleware = {
  onRequest({ request }) {
    if (bearer) request.headers.set('Authorization', `Bearer ${bearer}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) unauthorized?.();
    return response;
  },
};

/** The API on the app's own origin, typed by the generated schema (`npm run web:api-types`). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(authorization);

/** A failed call: the problem document and the HTTP status (409, 412 and 400 are handled by forms). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
  }

  /** The API's own field errors, keyed by the path it names (`actuals.0.actual`). */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries(
      (this.problem.errors ?? []).map((e) => [e.path ?? '', e.message ?? e.rule ?? '']),
    );
  }

  get isConflict(): boolean {
    return this.status === 409 || this.status === 412;
  }
}

/** What a failed call says to the person: the API's detail of the problem, else the error as text. */
export function problemDetail(error: unknown): string | undefined {
  return error instanceof ApiProblem ? error.problem.detail : String(error);
}

/**
 * The body of a call that must succeed, else an ApiProblem. Its type is the route's answer as the
 * OpenAPI document describes it (`undefined` for a route that describes none, so using it fails to compile).
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const problem = (error ?? { title: response.statusText, status: response.status }) as Problem;
    throw new ApiProblem(response.status, problem);
  }
  return data as T;
}

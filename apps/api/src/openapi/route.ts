import { applyDecorators, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { z } from 'zod';
import { RequireScopes, Roles } from '../auth/roles.decorator';
import type { CallerRole, Scope } from '../auth/principal';
import { jsonSchemaOf } from './json-schema';

/** What a route is: who may call it, what it does, what it answers (ADR 0176). */
export interface RouteSpec {
  /** The roles that may call it (`[]`: any authenticated caller); left out, no credential is asked for. */
  roles?: readonly CallerRole[];
  /** Scopes an integrator's API key must carry besides the role. */
  scopes?: readonly Scope[];
  summary?: string;
  description?: string;
  operationId?: string;
  /** The answer's JSON body, as a zod schema (the one its integration test parses the answer with). */
  answer?: z.ZodType;
  /** The answer's description (a 204's whole description). */
  answerDescription?: string;
  /** The answer's status when it is not the method's own (POST 201, any other 200). */
  status?: 200 | 201 | 202 | 204;
}

const METHODS = { GET: Get, POST: Post, PATCH: Patch, DELETE: Delete };
const ANSWERS = { 200: ApiOkResponse, 201: ApiCreatedResponse, 202: ApiAcceptedResponse };

/**
 * One decorator per HTTP route in place of the stack every route repeated (method and path,
 * `@Roles`, `@RequireScopes`, `@HttpCode`, `@ApiOperation`, the answer's `@Api…Response` with its
 * JSON Schema): decorators only a few routes need (a file answer, a CSV body) stay beside it.
 */
export function Route(method: keyof typeof METHODS, path: string, spec: RouteSpec): MethodDecorator {
  const defaultStatus = method === 'POST' ? 201 : 200;
  const status = spec.status ?? defaultStatus;
  const { summary, description, operationId } = spec;
  const decorators: MethodDecorator[] = [METHODS[method](path)];
  if (spec.roles) decorators.push(Roles(...spec.roles));
  if (spec.scopes) decorators.push(RequireScopes(...spec.scopes));
  if (status !== defaultStatus) decorators.push(HttpCode(status));
  if (summary ?? description ?? operationId) {
    decorators.push(
      ApiOperation({
        ...(summary === undefined ? {} : { summary }),
        ...(description === undefined ? {} : { description }),
        ...(operationId === undefined ? {} : { operationId }),
      }),
    );
  }
  if (status === 204) decorators.push(ApiNoContentResponse({ description: spec.answerDescription }));
  else if (spec.answer) {
    const schema = jsonSchemaOf(spec.answer) as never;
    const answer =
      spec.answerDescription === undefined ? { schema } : { description: spec.answerDescription, schema };
    decorators.push(ANSWERS[status](answer));
  }
  return applyDecorators(...decorators);
}

/**
 * `Route` for the routes of a controller that all share part of their spec (who may call them):
 * that part said once, each route adding its own.
 */
export function routeSharing(
  shared: RouteSpec,
): (method: keyof typeof METHODS, path: string, spec: RouteSpec) => MethodDecorator {
  return (method, path, spec) => Route(method, path, { ...shared, ...spec });
}

/**
 * A controller at `path` (default: its tag; `/` for routes whose paths are whole), listed in the
 * OpenAPI document under `tag`: the pair of class decorators every controller carries.
 */
export function ApiController(tag: string, path: string = tag): ClassDecorator {
  return applyDecorators(Controller(path), ApiTags(tag));
}

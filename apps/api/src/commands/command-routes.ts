import { applyDecorators, HttpCode, Param, Post, Req, Res, Headers, type Type } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commandSchemas, type CommandType } from '@verity/domain';
import type { CallerRole, Principal } from '../auth/principal';
import { CurrentPrincipal, RolesHoldingTheirOwnClaim } from '../auth/roles.decorator';
import {
  IdempotentRequests,
  type IdempotentRequest,
  type OpenClaim,
} from '../idempotency/idempotent-requests';
import { firstOversizedList, MAX_LIST_LENGTH, ValidBody } from '../validation/zod.pipe';
import { schemaMismatch } from '../validation/zod-issues';
import type { CommandAnswer, CommandOutcome } from './command-executor';
import { etagOf, parseIfMatch, type Reply } from '../event-store/etag';
import { ExecuteDomainCommand } from './execute-domain-command.command';
import { commandAnswerOf } from './command-answer.response';
import { jsonSchemaOf } from '../openapi/json-schema';
import { ApiController, Route, type RouteSpec } from '../openapi/route';

/** One write endpoint: a domain command at a path; path parameters fill the payload's id fields. */
export interface CommandRoute {
  command: CommandType;
  /** Relative to the controller's prefix, e.g. `:appraisalId/approve-plan`. */
  path: string;
  /** Coarse check before loading anything; the domain checks roles and relations precisely. */
  roles: readonly CallerRole[];
  summary: string;
  /** The body's example (path parameters excluded); also used by the bad-input sweep. */
  example: Record<string, unknown>;
}

export interface CommandResponse {
  streamId: string;
  revision: string | null;
  /** Each event, with the id of what it created where it created something (e.g. `breachId`). */
  events: ({ eventId: string; type: string } & Record<string, string>)[];
}

/** The body schema: the command's payload minus path parameters, unknown fields refused. */
export function bodySchemaOf(route: CommandRoute): z.ZodObject {
  const schema = commandSchemas[route.command] as unknown as z.ZodObject;
  const params = paramsOf(route.path);
  const omit = Object.fromEntries(params.filter((p) => p in schema.shape).map((p) => [p, true as const]));
  return z.strictObject((schema.omit(omit as never) as z.ZodObject).shape);
}

/**
 * A route's whole command from its body (already parsed by bodySchemaOf's schema) and its path
 * parameters, each field parsed once (ADR 0177): the path parameters by their own fields of the
 * command's schema, the result in the schema's field order, as parsing the whole payload gave it.
 * A path parameter the command has no field for is dropped, as the command's schema drops it. The
 * command schemas refine fields, never the object, so the two halves checked apart are the whole.
 */
export function commandOfRoute(
  route: CommandRoute,
): (body: Record<string, unknown>, pathParams: Record<string, string>) => Record<string, unknown> {
  const schema = commandSchemas[route.command] as unknown as z.ZodObject;
  const fields = Object.keys(schema.shape);
  const params = paramsOf(route.path).filter((p) => p in schema.shape);
  const pick = Object.fromEntries(params.map((p) => [p, true as const]));
  const paramsSchema = schema.pick(pick as never) as z.ZodObject;
  return (body, pathParams) => {
    const path = paramsSchema.safeParse(Object.fromEntries(params.map((p) => [p, pathParams[p]])));
    if (!path.success) throw schemaMismatch(null, issuesOf(path.error));
    const command: Record<string, unknown> = {};
    for (const field of fields) {
      const value = field in path.data ? path.data[field] : body[field];
      if (value !== undefined || field in body) command[field] = value;
    }
    return command;
  };
}

export const paramsOf = (path: string): string[] =>
  path
    .split('/')
    .filter((segment) => segment.startsWith(':'))
    .map((segment) => segment.slice(1));

/** The command's data checked against its schema, or a 400 naming each field and rule. */
export function parseCommand(type: CommandType, data: Record<string, unknown>): unknown {
  const oversized = firstOversizedList(data);
  const parsed = commandSchemas[type].safeParse(data);
  if (oversized !== null) {
    throw schemaMismatch(null, [
      { path: oversized, rule: 'too_big', message: `at most ${MAX_LIST_LENGTH} items` },
    ]);
  }
  if (!parsed.success) {
    // Path parameters are validated here (the body schema excludes them). Every issue is named and a
    // body-level issue (an unknown key) keeps the empty path, unlike zodIssues' first 50 and `(body)`.
    throw schemaMismatch(null, issuesOf(parsed.error));
  }
  return parsed.data;
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.join('.'), rule: issue.code, message: issue.message }));

/**
 * Sends a command on the bus and shapes the answer: 201 when it created the stream, ETag = revision.
 * `claim`: the request's open Idempotency-Key claim, whose answer the append records (ADR 0155).
 */
export async function sendCommand(
  bus: CommandBus,
  type: CommandType,
  data: Record<string, unknown>,
  principal: Principal,
  headers: Record<string, string | undefined>,
  response: Reply,
  claim?: OpenClaim,
): Promise<CommandResponse> {
  return sendParsedCommand(bus, type, parseCommand(type, data), principal, headers, response, claim);
}

/** sendCommand for data already checked against the command's schema (a route's body and path). */
async function sendParsedCommand(
  bus: CommandBus,
  type: CommandType,
  data: unknown,
  principal: Principal,
  headers: Record<string, string | undefined>,
  response: Reply,
  claim?: OpenClaim,
): Promise<CommandResponse> {
  const outcome: CommandOutcome = await bus.execute(
    new ExecuteDomainCommand(
      { type, data },
      {
        principal,
        ifMatch: parseIfMatch(headers['if-match']),
        correlationId: correlationIdOf(headers),
        idempotencyKey: headers['idempotency-key'],
        answerOf: commandAnswerFor,
        claim,
      },
    ),
  );
  const answer = commandAnswerFor(outcome);
  response.status(answer.status);
  if (answer.etag !== null) response.header('ETag', answer.etag);
  return answer.body;
}

/**
 * The one shaping of a command's answer: 201 when it created the stream, ETag = revision. The
 * executor also calls it before the append, to record an idempotent answer with the events (ADR 0155).
 */
function commandAnswerFor(outcome: CommandOutcome): CommandAnswer & { body: CommandResponse } {
  const created =
    outcome.revision !== null &&
    outcome.events.length > 0 &&
    outcome.revision === BigInt(outcome.events.length - 1);
  return {
    status: created ? 201 : 200,
    etag: outcome.revision === null ? null : etagOf(outcome.revision),
    body: {
      streamId: outcome.streamId,
      revision: outcome.revision === null ? null : String(outcome.revision),
      events: outcome.events,
    },
  };
}

/** The OpenAPI answers of a command's route: 200 applied, 201 created the stream; both the command's answer. */
function commandAnswerResponses(command: CommandType): MethodDecorator[] {
  const schema = jsonSchemaOf(commandAnswerOf(command)) as never;
  return [
    ApiResponse({ status: 200, description: 'Applied; ETag is the new stream revision', schema }),
    ApiResponse({ status: 201, description: 'Applied; created the resource', schema }),
  ];
}

/**
 * A command's route written by hand, where the body is not the command's payload (a YAML document,
 * a scope to expand into subjects): POST, documented and answered as a command table's routes are
 * (200 applied, 201 created the stream), the command's name its operationId.
 */
export function CommandEndpoint(
  path: string,
  command: CommandType,
  spec: Pick<RouteSpec, 'roles' | 'summary'>,
): MethodDecorator {
  return applyDecorators(
    ...commandAnswerResponses(command),
    Route('POST', path, { ...spec, operationId: command, status: 200 }),
  );
}

/** A caller's `X-Correlation-Id` when it is a sane token, else a new one. */
export function correlationIdOf(headers: Record<string, string | undefined>): string {
  const given = headers['x-correlation-id'];
  return given && /^[A-Za-z0-9._-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Builds a controller with one POST method per route. Each command's endpoint is one table row:
 * the schema, validation, OpenAPI, auth and bus dispatch are the same for all (ADR 0021).
 */
export function commandController(prefix: string, tag: string, routes: CommandRoute[]): Type<unknown> {
  class CommandController {
    constructor(
      readonly bus: CommandBus,
      readonly idempotency: IdempotentRequests,
    ) {}
  }
  Reflect.defineMetadata('design:paramtypes', [CommandBus, IdempotentRequests], CommandController);
  Object.defineProperty(CommandController, 'name', {
    value: `${tag.replace(/[^A-Za-z]/g, '')}CommandController`,
  });

  for (const route of routes) {
    const method = route.command.charAt(0).toLowerCase() + route.command.slice(1);
    const params = paramsOf(route.path);
    const commandOf = commandOfRoute(route);
    Object.defineProperty(CommandController.prototype, method, {
      value: function (
        this: CommandController,
        principal: Principal,
        body: Record<string, unknown>,
        pathParams: Record<string, string>,
        headers: Record<string, string | undefined>,
        response: Reply,
        request: IdempotentRequest,
      ) {
        // Idempotency-Key held here rather than by an interceptor: a request without one then pays
        // nothing for it (ADR 0171). The body was validated first, so a bad body is 400 with or without a key.
        const command = commandOf(body, pathParams);
        return this.idempotency.handle(request, response, (claim) =>
          sendParsedCommand(this.bus, route.command, command, principal, headers, response, claim),
        );
      },
      writable: true,
      configurable: true,
    });
    const target = CommandController.prototype;
    const descriptor = Object.getOwnPropertyDescriptor(target, method)!;
    CurrentPrincipal()(target, method, 0);
    ValidBody(bodySchemaOf(route), route.example as never)(target, method, 1);
    Param()(target, method, 2);
    Headers()(target, method, 3);
    Res({ passthrough: true })(target, method, 4);
    Req()(target, method, 5);
    const decorators = [
      Post(route.path),
      RolesHoldingTheirOwnClaim(...route.roles),
      HttpCode(200),
      ApiOperation({ summary: route.summary, operationId: route.command }),
      ...commandAnswerResponses(route.command),
      ...params.map((name) => ApiParam({ name, type: String })),
    ];
    for (const decorator of decorators.reverse()) decorator(target, method, descriptor);
    Object.defineProperty(target, method, descriptor);
  }
  ApiController(tag, prefix)(CommandController);
  return CommandController;
}

/** Every route table registered, for tests that sweep all write endpoints. */
export const allCommandRoutes: { prefix: string; route: CommandRoute }[] = [];
export function registerRoutes(prefix: string, tag: string, routes: CommandRoute[]): Type<unknown> {
  for (const route of routes) allCommandRoutes.push({ prefix, route });
  return commandController(prefix, tag, routes);
}

import { applyDecorators, Body, PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { schemaMismatch, zodIssues } from './zod-issues';
import { jsonSchemaOf } from '../openapi/json-schema';

/** An id as a request's query or path names it: 1 to 100 characters (its form is the domain's to check). */
export const QueryId = z.string().min(1).max(100);

/** No list in any request may be longer, whatever its schema says (a backstop for schemas without `.max`). */
export const MAX_LIST_LENGTH = 10_000;

/** The dotted path of the first list longer than MAX_LIST_LENGTH, or null. */
export function firstOversizedList(value: unknown, path = ''): string | null {
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_LENGTH) return path;
    for (let index = 0; index < value.length; index++) {
      const found = firstOversizedList(value[index], path ? `${path}.${index}` : String(index));
      if (found !== null) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = firstOversizedList(child, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Parses a value with a zod schema; failures become 400 problem+json naming each field and rule. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly where: 'body' | 'query' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    const oversized = firstOversizedList(value);
    if (oversized !== null) {
      throw schemaMismatch(this.where, [
        { path: oversized || '(body)', rule: 'too_big', message: `at most ${MAX_LIST_LENGTH} items` },
      ]);
    }
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw schemaMismatch(this.where, zodIssues(result.error));
  }
}

/**
 * The request body, validated by `schema`, which is also the body's OpenAPI schema (with `example`).
 * Use it on every write endpoint: `create(@ValidBody(CreateCycleRequest, example) body: ...)`.
 */
export function ValidBody<S extends z.ZodType>(schema: S, example: z.input<S>): ParameterDecorator {
  const pipe = Body(new ZodPipe(schema, 'body'));
  return (target, key, index) => {
    pipe(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
      applyDecorators(
        ApiBody({ schema: { ...jsonSchemaOf(schema, 'input'), example } as never, required: true }),
      )(target, key, descriptor);
    }
  };
}

/** Query parameters validated by an object schema; each property is documented in OpenAPI. */
export function ValidQuery<S extends z.ZodObject>(schema: S): ParameterDecorator {
  const pipe = Query(new ZodPipe(schema, 'query'));
  return (target, key, index) => {
    pipe(target, key, index);
    if (key !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
      for (const [name, property] of Object.entries(schema.shape)) {
        applyDecorators(
          ApiQuery({
            name,
            required: !(property as z.ZodType).safeParse(undefined).success,
            schema: jsonSchemaOf(property as z.ZodType, 'input') as never,
          }),
        )(target, key, descriptor);
      }
    }
  };
}

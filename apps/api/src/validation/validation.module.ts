import { Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { TextInputPipe } from './text-input.pipe';

/** Checks every route shares, ahead of each route's own zod schema. */
@Module({ providers: [{ provide: APP_PIPE, useClass: TextInputPipe }] })
export class ValidationModule {}

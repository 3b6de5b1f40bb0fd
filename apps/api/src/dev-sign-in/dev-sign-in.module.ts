import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { DevSignInController } from './dev-sign-in.http.controller';

/** "Sign in as" a demo person: development and tests only (the controller refuses in production). */
@Module({ imports: [CommandsModule], controllers: [DevSignInController] })
export class DevSignInModule {}

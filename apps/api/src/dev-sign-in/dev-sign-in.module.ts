import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { DevSignInController } from './dev-sign-in.http.controller';

/** "Sign in as" a demo person: development and tests only (the controller refuses in production). */
@Module({ imports: [EventStoreModule], controllers: [DevSignInController] })
export class DevSignInModule {}

import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { AuditController } from './audit/audit.http.controller';
import { InboxController } from './inbox/inbox.http.controller';
import { NotificationsController } from './notifications/notifications.http.controller';
import { ScoreController } from './score/score.http.controller';

/** Read-model queries (libs/projections) served over HTTP; org relations and streams come from the write side's module. */
@Module({
  imports: [CommandsModule],
  controllers: [AuditController, ScoreController, InboxController, NotificationsController],
})
export class QueriesModule {}

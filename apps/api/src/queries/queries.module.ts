import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { AuditController } from './audit/audit.http.controller';
import { AuditProofsController } from './audit/audit-proofs.http.controller';
import { auditSignerProvider } from './audit/audit-signer.provider';
import { InboxController } from './inbox/inbox.http.controller';
import { NotificationsController } from './notifications/notifications.http.controller';
import { ScoreController } from './score/score.http.controller';

/** Read-model queries (libs/projections) served over HTTP; org relations and streams come from the write side's module. */
@Module({
  imports: [CommandsModule],
  controllers: [
    AuditController,
    AuditProofsController,
    ScoreController,
    InboxController,
    NotificationsController,
  ],
  providers: [auditSignerProvider],
})
export class QueriesModule {}

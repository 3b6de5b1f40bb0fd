import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { AuditController } from './audit/audit.http.controller';
import { AuditProofsController } from './audit/audit-proofs.http.controller';
import { auditSignerProvider } from './audit/audit-signer.provider';
import { InboxController } from './inbox/inbox.http.controller';
import { NotificationsController } from './notifications/notifications.http.controller';
import { ScoreController } from './score/score.http.controller';

/** Read-model queries (libs/projections) served over HTTP; org relations, streams and the clock come from EventStoreModule, shared with the write side. */
@Module({
  imports: [EventStoreModule],
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

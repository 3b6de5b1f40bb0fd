import { Module } from '@nestjs/common';
import { registerRoutes } from '../commands/command-routes';
import { CommandsModule } from '../commands/commands.module';
import { directoryRoutes } from './directory.routes';
import { ImportDirectoryController } from './import-directory/import-directory.http.controller';
import { ImportDirectoryHandler } from './import-directory/import-directory.handler';
import { PreviewImportController } from './preview-import/preview-import.http.controller';
import { ReadDirectoryController } from './read-directory/read-directory.http.controller';

/** The organisation: tenant, org units, employees, managers, process owners; bulk import; reads. */
@Module({
  imports: [CommandsModule],
  // The import route is declared before the table's so `POST /directory/import` is never taken for another.
  controllers: [
    ImportDirectoryController,
    PreviewImportController,
    registerRoutes('directory', 'directory', directoryRoutes),
    ReadDirectoryController,
  ],
  providers: [ImportDirectoryHandler],
})
export class DirectoryModule {}

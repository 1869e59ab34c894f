/**
 * The migrations bundled with this version of the app, in order. Migrations are data: each is
 * applied once, in a transaction, and recorded in `__migrations__`; a database that holds a
 * migration this list does not know was written by a newer version and is refused.
 */
import { migration0001 } from './0001_foundation';
import { migration0002 } from './0002_queue';
import { migration0003 } from './0003_contacts';
import { migration0004 } from './0004_handoffs';
import { migration0005 } from './0005_desk_security';
import { migration0006 } from './0006_devices';
import { migration0007 } from './0007_housekeeping_indexes';
import { migration0008 } from './0008_personal_text_indexes';
import { migration0009 } from './0009_queue_handed_over';
import { migration0010 } from './0010_contact_cancel';
import { migration0011 } from './0011_day_aggregates';
import { migration0012 } from './0012_rollup_listing';

export interface Migration {
  id: number;
  name: string;
  sql: string;
  /**
   * Table rebuilds (SQLite's way to change a constraint) run with foreign keys off; the runner
   * then checks every foreign key before the migration commits.
   */
  foreignKeysOff?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.id;

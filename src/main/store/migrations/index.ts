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

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.id;

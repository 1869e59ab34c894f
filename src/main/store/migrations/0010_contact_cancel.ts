/**
 * "Annuler ce contact" (docs/decisions/020-contact-cancellation.md): a contact logged by mistake
 * is tombstoned, never deleted. Its per-domain rows carry the same tombstone, so that counting by
 * domain drops it like every other count that filters `deleted_at IS NULL`.
 */
export const migration0010 = {
  id: 10,
  name: 'contact_cancel',
  sql: `
ALTER TABLE contact_domains ADD COLUMN deleted_at TEXT;
DROP INDEX contact_domains_day;
CREATE INDEX contact_domains_day ON contact_domains(day, domain_code) WHERE deleted_at IS NULL;
`,
};

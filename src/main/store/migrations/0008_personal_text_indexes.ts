/**
 * Partial indexes for the retention of free text that may name a person (decision 012): reasons
 * typed in the queue and day-closing remarks and reopening reasons, cleared after the notes
 * retention like contact notes (migration 0007's `contacts_note_at`). Each holds only the rows
 * still to clear, so the job reads what it clears, whatever the history.
 */
export const migration0008 = {
  id: 8,
  name: 'personal_text_indexes',
  sql: `
CREATE INDEX queue_events_reason_at ON queue_events(at) WHERE reason IS NOT NULL;
CREATE INDEX day_closings_text_day ON day_closings(day) WHERE remark IS NOT NULL OR reopen_reason IS NOT NULL;
`,
};

/** Result types of the contact methods, from the shared contract. */
import type { ResultOf } from '../../../../shared/api/contract';

export type Contact = ResultOf<'contacts.log'>;
export type ResultOfContactsGet = ResultOf<'contacts.get'>;

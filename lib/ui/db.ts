import { CandorDB } from '../db';

/** Extension pages read IndexedDB directly (live queries); every write goes through the background. */
export const readDb = new CandorDB();

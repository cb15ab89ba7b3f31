/**
 * Limits shared by the content script (which must not load zod) and the message schemas. A count
 * above a limit is summarised at it, never refused: a hostile page cannot make a decision fail.
 */
export const MAX_JOINED = 500;

/**
 * The largest backup the options page restores: it travels to the background as one message, and
 * Chrome refuses messages over 64 MiB (JSON-escaped text grows). Refused before it is read, with a
 * sentence saying so; a bigger history is restored in parts (export per period) or from the org service.
 */
export const MAX_BACKUP_BYTES = 32 * 1024 * 1024;

/** Newcomers the late-joiner nudge names (the rest are counted): the prompt stays short. */
export const MAX_NAMED_JOINERS = 5;
/** A display name as the page shows it, cut to this many characters before it is sent anywhere. */
export const MAX_NAME_CHARS = 80;

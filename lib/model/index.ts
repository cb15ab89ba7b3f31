/** Candor's shared model: the vocabulary and every stored record. Imports nothing of the app. */
export * from './vocabulary';
export * from './records';

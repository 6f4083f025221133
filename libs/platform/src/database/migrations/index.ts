import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** In order; append only. */
export const MIGRATIONS = [InitialSchema1764000000000];

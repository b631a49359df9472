import { Exclusion } from "./rehearsal";

/**
 * Resources the emulator cannot serve, per stack, by address pattern. Each is
 * listed in the README's "Apply rehearsal" section with its reason and counted
 * in the rehearsal summary; nothing else is left out.
 */
export const EXCLUSIONS: Record<string, readonly Exclusion[]> = {};

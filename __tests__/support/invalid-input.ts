/**
 * The InvalidInputError a call throws, for tests that check all three parts of the message the README promises:
 * the field, the value and what is allowed (a bare `toThrow(/field/)` passes with an empty "allowed").
 */
import { InvalidInputError } from "../../modules/core/validation";

export function invalidInputOf(call: () => unknown): InvalidInputError {
  try {
    call();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("expected an InvalidInputError; the call returned normally");
}

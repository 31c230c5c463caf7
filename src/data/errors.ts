/**
 * The one error type of the data layer: it names the file (or field) and says what was expected.
 * @module
 */

/** A data file or value that cannot be used; the message starts with what was being read. */
export class DataError extends Error {
  /** Creates an error reading `Cannot <action> "<source>": <message>`. */
  constructor(action: string, source: string, message: string) {
    super(`Cannot ${action} "${source}": ${message}`);
    this.name = "DataError";
  }
}

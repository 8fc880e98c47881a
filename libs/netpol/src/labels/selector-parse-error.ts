/** A label selector that does not parse; `message` uses labels.Parse's wording. */
export class SelectorParseError extends Error {
  override readonly name = 'SelectorParseError';
  constructor(
    message: string,
    /** Offset in the selector text of the token that failed, when known. */
    readonly position?: number,
  ) {
    super(message);
  }
}

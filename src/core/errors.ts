/**
 * The one error type the product raises on purpose. `where` names the place (file, file:line:column,
 * a JSON path, a request field) so a person can fix the input without reading a stack trace.
 */
export type ErrorCode =
  | 'bad_input'
  | 'bad_manifest'
  | 'not_found'
  | 'conflict'
  | 'model_error'
  | 'unsupported'
  | 'timeout'
  | 'unavailable'
  | 'upstream_error'
  | 'internal';

export class QaError extends Error {
  readonly code: ErrorCode;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { where?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'QaError';
    this.code = code;
    this.where = opts.where;
    this.hint = opts.hint;
  }

  /** One line for a terminal: `where: message (hint)`. */
  describe(): string {
    const head = this.where ? `${this.where}: ${this.message}` : this.message;
    return this.hint ? `${head} (${this.hint})` : head;
  }
}

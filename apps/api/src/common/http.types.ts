import type { IncomingMessage, ServerResponse } from 'node:http';

/** The parts of Express's request/response fleetgate uses (no @types/express installed). */
export interface HttpRequest extends IncomingMessage {
  body?: unknown;
  originalUrl: string;
  method: string;
}

export interface HttpResponse extends ServerResponse {
  status(code: number): this;
  type(contentType: string): this;
  send(body: string): this;
}

export type NextFunction = (error?: unknown) => void;

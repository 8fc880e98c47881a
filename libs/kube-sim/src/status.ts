/** Kubernetes `Status` errors as the API server sends them. */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Thrown by the store; the server turns it into the HTTP answer. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
    readonly listMeta: { continue?: string } = {},
  ) {
    super(message);
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: { ...this.listMeta }, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

export interface ResourceRef {
  /** Plural resource with group, e.g. `networkpolicies.networking.k8s.io`, or `namespaces`. */
  qualified: string;
  group: string;
  resource: string;
}

export const NETPOL: ResourceRef = { qualified: 'networkpolicies.networking.k8s.io', group: 'networking.k8s.io', resource: 'networkpolicies' };
export const NAMESPACES: ResourceRef = { qualified: 'namespaces', group: '', resource: 'namespaces' };

const det = (ref: ResourceRef, name: string): StatusDetails => (ref.group ? { name, group: ref.group, kind: ref.resource } : { name, kind: ref.resource });

export const statusErrors = {
  notFound: (ref: ResourceRef, name: string) => new StatusError(404, 'NotFound', `${ref.qualified} "${name}" not found`, det(ref, name)),
  alreadyExists: (ref: ResourceRef, name: string) => new StatusError(409, 'AlreadyExists', `${ref.qualified} "${name}" already exists`, det(ref, name)),
  conflict: (ref: ResourceRef, name: string) =>
    new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${ref.qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`, det(ref, name)),
  badRequest: (message: string) => new StatusError(400, 'BadRequest', message),
  unauthorized: () => new StatusError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (ref: ResourceRef, name: string, verb: string, namespace: string | undefined, user: string) =>
    new StatusError(
      403,
      'Forbidden',
      `${ref.qualified}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${ref.resource}" in API group "${ref.group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`,
      det(ref, name),
    ),
  invalid: (kind: string, group: string, name: string, message: string, causes: StatusCause[]) =>
    new StatusError(422, 'Invalid', message, { name, group: group || undefined, kind, causes }),
  methodNotAllowed: () => new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
  unsupportedMediaType: (type: string) => new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${type ? '' : ''}`),
  tooManyRequests: (retryAfterSeconds: number) =>
    new StatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) }),
  internal: (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  unavailable: () => new StatusError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
  gone: (message: string) => new StatusError(410, 'Expired', message),
};

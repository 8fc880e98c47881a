/**
 * The messages of k8s.io/apimachinery the served kinds need, as in its generated.proto files
 * (go-to-protobuf output): same packages, message names, field names and field numbers. Comments
 * are kept where the OpenAPI documents use them as descriptions; `+` markers are the Go markers
 * (`+optional`, `+listType=…`) the OpenAPI generator reads.
 */
export const META_V1_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

// Condition contains details for one aspect of the current state of this API Resource.
message Condition {
  // type of condition in CamelCase or in foo.example.com/CamelCase.
  optional string type = 1;

  // status of the condition, one of True, False, Unknown.
  optional string status = 2;

  // observedGeneration represents the .metadata.generation that the condition was set based upon.
  // +optional
  optional int64 observedGeneration = 3;

  // lastTransitionTime is the last time the condition transitioned from one status to another.
  optional Time lastTransitionTime = 4;

  // reason contains a programmatic identifier indicating the reason for the condition's last transition.
  optional string reason = 5;

  // message is a human readable message indicating details about the transition.
  // This may be an empty string.
  optional string message = 6;
}

// FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.
message FieldsV1 {
  // Raw is the underlying serialization of this object.
  optional bytes Raw = 1;
}

// A label selector is a label query over a set of resources. The result of matchLabels and
// matchExpressions are ANDed. An empty label selector matches all objects. A null
// label selector matches no objects.
// +structType=atomic
message LabelSelector {
  // matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels
  // map is equivalent to an element of matchExpressions, whose key field is "key", the
  // operator is "In", and the values array contains only "value". The requirements are ANDed.
  // +optional
  map<string, string> matchLabels = 1;

  // matchExpressions is a list of label selector requirements. The requirements are ANDed.
  // +optional
  // +listType=atomic
  repeated LabelSelectorRequirement matchExpressions = 2;
}

// A label selector requirement is a selector that contains values, a key, and an operator that
// relates the key and values.
message LabelSelectorRequirement {
  // key is the label key that the selector applies to.
  optional string key = 1;

  // operator represents a key's relationship to a set of values.
  // Valid operators are In, NotIn, Exists and DoesNotExist.
  optional string operator = 2;

  // values is an array of string values. If the operator is In or NotIn,
  // the values array must be non-empty. If the operator is Exists or DoesNotExist,
  // the values array must be empty. This array is replaced during a strategic
  // merge patch.
  // +optional
  // +listType=atomic
  repeated string values = 3;
}

// ListMeta describes metadata that synthetic resources must have, including lists and
// various status objects. A resource may have only one of {ObjectMeta, ListMeta}.
message ListMeta {
  // Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.
  // +optional
  optional string selfLink = 1;

  // String that identifies the server's internal version of this object that
  // can be used by clients to determine when objects have changed.
  // +optional
  optional string resourceVersion = 2;

  // continue may be set if the user set a limit on the number of items returned, and indicates that
  // the server has more data available.
  // +optional
  optional string continue = 3;

  // remainingItemCount is the number of subsequent items in the list which are not included in this
  // list response.
  // +optional
  optional int64 remainingItemCount = 4;
}

// ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource
// that the fieldset applies to.
message ManagedFieldsEntry {
  // Manager is an identifier of the workflow managing these fields.
  // +optional
  optional string manager = 1;

  // Operation is the type of operation which lead to this ManagedFieldsEntry being created.
  // The only valid values for this field are 'Apply' and 'Update'.
  // +optional
  optional string operation = 2;

  // APIVersion defines the version of this resource that this field set
  // applies to.
  // +optional
  optional string apiVersion = 3;

  // Time is the timestamp of when the ManagedFields entry was added.
  // +optional
  optional Time time = 4;

  // FieldsType is the discriminator for the different fields format and version.
  // There is currently only one possible value: "FieldsV1"
  // +optional
  optional string fieldsType = 6;

  // FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.
  // +optional
  optional FieldsV1 fieldsV1 = 7;

  // Subresource is the name of the subresource used to update that object, or
  // empty string if the object was updated through the main resource.
  // +optional
  optional string subresource = 8;
}

// ObjectMeta is metadata that all persisted resources must have, which includes all objects
// users must create.
message ObjectMeta {
  // Name must be unique within a namespace. Is required when creating resources, although
  // some resources may allow a client to request the generation of an appropriate name
  // automatically.
  // +optional
  optional string name = 1;

  // GenerateName is an optional prefix, used by the server, to generate a unique
  // name ONLY IF the Name field has not been provided.
  // +optional
  optional string generateName = 2;

  // Namespace defines the space within which each name must be unique. An empty namespace is
  // equivalent to the "default" namespace, but "default" is the canonical representation.
  // +optional
  optional string namespace = 3;

  // Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.
  // +optional
  optional string selfLink = 4;

  // UID is the unique in time and space value for this object. It is typically generated by
  // the server on successful creation of a resource and is not allowed to change on PUT
  // operations.
  // +optional
  optional string uid = 5;

  // An opaque value that represents the internal version of this object that can
  // be used by clients to determine when objects have changed.
  // +optional
  optional string resourceVersion = 6;

  // A sequence number representing a specific generation of the desired state.
  // Populated by the system. Read-only.
  // +optional
  optional int64 generation = 7;

  // CreationTimestamp is a timestamp representing the server time when this object was
  // created. It is represented in RFC3339 form and is in UTC.
  // +optional
  optional Time creationTimestamp = 8;

  // DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.
  // +optional
  optional Time deletionTimestamp = 9;

  // Number of seconds allowed for this object to gracefully terminate before
  // it will be removed from the system. Only set when deletionTimestamp is also set.
  // +optional
  optional int64 deletionGracePeriodSeconds = 10;

  // Map of string keys and values that can be used to organize and categorize
  // (scope and select) objects. May match selectors of replication controllers
  // and services.
  // +optional
  map<string, string> labels = 11;

  // Annotations is an unstructured key value map stored with a resource that may be
  // set by external tools to store and retrieve arbitrary metadata. They are not
  // queryable and should be preserved when modifying objects.
  // +optional
  map<string, string> annotations = 12;

  // List of objects depended by this object. If ALL objects in the list have
  // been deleted, this object will be garbage collected.
  // +optional
  // +patchMergeKey=uid
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=uid
  repeated OwnerReference ownerReferences = 13;

  // Must be empty before the object is deleted from the registry. Each entry
  // is an identifier for the responsible component that will remove the entry
  // from the list.
  // +optional
  // +patchStrategy=merge
  // +listType=set
  repeated string finalizers = 14;

  // ManagedFields maps workflow-id and version to the set of fields
  // that are managed by that workflow.
  // +optional
  // +listType=atomic
  repeated ManagedFieldsEntry managedFields = 17;
}

// OwnerReference contains enough information to let you identify an owning
// object.
// +structType=atomic
message OwnerReference {
  // API version of the referent.
  optional string apiVersion = 5;

  // Kind of the referent.
  optional string kind = 1;

  // Name of the referent.
  optional string name = 3;

  // UID of the referent.
  optional string uid = 4;

  // If true, this reference points to the managing controller.
  // +optional
  optional bool controller = 6;

  // If true, AND if the owner has the "foregroundDeletion" finalizer, then
  // the owner cannot be deleted from the key-value store until this
  // reference is removed.
  // +optional
  optional bool blockOwnerDeletion = 7;
}

// Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.
message Preconditions {
  // +optional
  optional string uid = 1;

  // +optional
  optional string resourceVersion = 2;
}

// DeleteOptions may be provided when deleting an API object.
message DeleteOptions {
  // +optional
  optional int64 gracePeriodSeconds = 1;

  // +optional
  optional Preconditions preconditions = 2;

  // +optional
  optional bool orphanDependents = 3;

  // +optional
  optional string propagationPolicy = 4;

  // +optional
  // +listType=atomic
  repeated string dryRun = 5;
}

// Status is a return value for calls that don't return other objects.
message Status {
  // Standard list metadata.
  // +optional
  optional ListMeta metadata = 1;

  // Status of the operation.
  // One of: "Success" or "Failure".
  // +optional
  optional string status = 2;

  // A human-readable description of the status of this operation.
  // +optional
  optional string message = 3;

  // A machine-readable description of why this operation is in the
  // "Failure" status.
  // +optional
  optional string reason = 4;

  // Extended data associated with the reason.
  // +optional
  optional StatusDetails details = 5;

  // Suggested HTTP return code for this status, 0 if not set.
  // +optional
  optional int32 code = 6;
}

// StatusCause provides more information about an api.Status failure.
message StatusCause {
  // +optional
  optional string reason = 1;

  // +optional
  optional string message = 2;

  // +optional
  optional string field = 3;
}

// StatusDetails is a set of additional properties that MAY be set by the
// server to provide additional information about a response.
message StatusDetails {
  // +optional
  optional string name = 1;

  // +optional
  optional string group = 2;

  // +optional
  optional string kind = 3;

  // +optional
  optional string uid = 6;

  // +optional
  // +listType=atomic
  repeated StatusCause causes = 4;

  // +optional
  optional int32 retryAfterSeconds = 5;
}

// Time is a wrapper around time.Time which supports correct
// marshaling to YAML and JSON.
message Time {
  // Represents seconds of UTC time since Unix epoch
  // 1970-01-01T00:00:00Z.
  optional int64 seconds = 1;

  // Non-negative fractions of a second at nanosecond resolution.
  optional int32 nanos = 2;
}

// Event represents a single event to a watched resource.
message WatchEvent {
  optional string type = 1;

  // Object is:
  //  * If Type is Added or Modified: the new state of the object.
  //  * If Type is Deleted: the state of the object immediately before deletion.
  //  * If Type is Error: *Status is recommended; other types may make sense
  //    depending on context.
  optional .k8s.io.apimachinery.pkg.runtime.RawExtension object = 2;
}
`;

export const RUNTIME_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

// RawExtension is used to hold extensions in external versions.
message RawExtension {
  // Raw is the underlying serialization of this object.
  // +optional
  optional bytes raw = 1;
}

// TypeMeta is shared by all top level objects.
message TypeMeta {
  // +optional
  optional string apiVersion = 1;

  // +optional
  optional string kind = 2;
}

// Unknown allows api objects with unknown types to be passed-through.
message Unknown {
  optional TypeMeta typeMeta = 1;

  // Raw will hold the complete serialized object which couldn't be matched
  // with a registered type.
  optional bytes raw = 2;

  // ContentEncoding is encoding used to encode 'Raw' data.
  optional string contentEncoding = 3;

  // ContentType is serialization method used to serialize 'Raw'.
  optional string contentType = 4;
}
`;

export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

// IntOrString is a type that can hold an int32 or a string.
message IntOrString {
  optional int64 type = 1;

  optional int32 intVal = 2;

  optional string strVal = 3;
}
`;

export const RESOURCE_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

// Quantity is a fixed-point representation of a number.
message Quantity {
  optional string string = 1;
}
`;

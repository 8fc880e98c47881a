/**
 * k8s.io/api core/v1 generated.proto: the messages of the served core kinds, with their field
 * numbers. Pod and Service carry the fields the simulator models; a protobuf body using a field
 * that is not here is refused (never dropped), see `unmodelledFields` in codec.ts.
 */
export const CORE_V1_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

// Namespace provides a scope for Names.
// Use of multiple namespaces is optional.
message Namespace {
  // Standard object's metadata.
  // More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;

  // Spec defines the behavior of the Namespace.
  // More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
  // +optional
  optional NamespaceSpec spec = 2;

  // Status describes the current status of a Namespace.
  // More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status
  // +optional
  optional NamespaceStatus status = 3;
}

// NamespaceCondition contains details about state of namespace.
message NamespaceCondition {
  // Type of namespace controller condition.
  optional string type = 1;

  // Status of the condition, one of True, False, Unknown.
  optional string status = 2;

  // Last time the condition transitioned from one status to another.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;

  // Unique, one-word, CamelCase reason for the condition's last transition.
  // +optional
  optional string reason = 5;

  // Human-readable message indicating details about last transition.
  // +optional
  optional string message = 6;
}

// NamespaceList is a list of Namespaces.
message NamespaceList {
  // Standard list metadata.
  // More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1;

  // Items is the list of Namespace objects in the list.
  // More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
  repeated Namespace items = 2;
}

// NamespaceSpec describes the attributes on a Namespace.
message NamespaceSpec {
  // Finalizers is an opaque list of values that must be empty to permanently remove object from storage.
  // More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/
  // +optional
  // +listType=atomic
  repeated string finalizers = 1;
}

// NamespaceStatus is information about the current status of a Namespace.
message NamespaceStatus {
  // Phase is the current lifecycle phase of the namespace.
  // More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/
  // +optional
  optional string phase = 1;

  // Represents the latest available observations of a namespace's current state.
  // +optional
  // +patchMergeKey=type
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=type
  repeated NamespaceCondition conditions = 2;
}

// ObjectReference contains enough information to let you inspect or modify the referred object.
// +structType=atomic
message ObjectReference {
  // Kind of the referent.
  // +optional
  optional string kind = 1;

  // Namespace of the referent.
  // +optional
  optional string namespace = 2;

  // Name of the referent.
  // +optional
  optional string name = 3;

  // UID of the referent.
  // +optional
  optional string uid = 4;

  // API version of the referent.
  // +optional
  optional string apiVersion = 5;

  // Specific resourceVersion to which this reference is made, if any.
  // +optional
  optional string resourceVersion = 6;

  // If referring to a piece of an object instead of an entire object, this string
  // should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].
  // +optional
  optional string fieldPath = 7;
}

// LocalObjectReference contains enough information to let you locate the
// referenced object inside the same namespace.
// +structType=atomic
message LocalObjectReference {
  // Name of the referent.
  // +optional
  optional string name = 1;
}

// EndpointAddress is a tuple that describes single IP address.
// +structType=atomic
message EndpointAddress {
  // The IP of this endpoint.
  optional string ip = 1;

  // The Hostname of this endpoint
  // +optional
  optional string hostname = 3;

  // Optional: Node hosting this endpoint. This can be used to determine endpoints local to a node.
  // +optional
  optional string nodeName = 4;

  // Reference to object providing the endpoint.
  // +optional
  optional ObjectReference targetRef = 2;
}

// EndpointPort is a tuple that describes a single port.
// +structType=atomic
message EndpointPort {
  // The name of this port.  This must match the 'name' field in the
  // corresponding ServicePort.
  // +optional
  optional string name = 1;

  // The port number of the endpoint.
  optional int32 port = 2;

  // The IP protocol for this port.
  // Must be UDP, TCP, or SCTP.
  // Default is TCP.
  // +optional
  optional string protocol = 3;

  // The application protocol for this port.
  // +optional
  optional string appProtocol = 4;
}

// EndpointSubset is a group of addresses with a common set of ports.
message EndpointSubset {
  // IP addresses which offer the related ports that are marked as ready.
  // +optional
  // +listType=atomic
  repeated EndpointAddress addresses = 1;

  // IP addresses which offer the related ports but are not currently marked as ready.
  // +optional
  // +listType=atomic
  repeated EndpointAddress notReadyAddresses = 2;

  // Port numbers available on the related IP addresses.
  // +optional
  // +listType=atomic
  repeated EndpointPort ports = 3;
}

// Endpoints is a collection of endpoints that implement the actual service.
message Endpoints {
  // Standard object's metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;

  // The set of all endpoints is the union of all subsets.
  // +optional
  // +listType=atomic
  repeated EndpointSubset subsets = 2;
}

// EndpointsList is a list of endpoints.
message EndpointsList {
  // Standard list metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1;

  // List of endpoints.
  repeated Endpoints items = 2;
}

// ClientIPConfig represents the configurations of Client IP based session affinity.
message ClientIPConfig {
  // timeoutSeconds specifies the seconds of ClientIP type session sticky time.
  // +optional
  optional int32 timeoutSeconds = 1;
}

// SessionAffinityConfig represents the configurations of session affinity.
message SessionAffinityConfig {
  // clientIP contains the configurations of Client IP based session affinity.
  // +optional
  optional ClientIPConfig clientIP = 1;
}

// ServicePort contains information on service's port.
message ServicePort {
  // The name of this port within the service.
  // +optional
  optional string name = 1;

  // The IP protocol for this port. Supports "TCP", "UDP", and "SCTP".
  // Default is TCP.
  // +default="TCP"
  // +optional
  optional string protocol = 2;

  // The application protocol for this port.
  // +optional
  optional string appProtocol = 6;

  // The port that will be exposed by this service.
  optional int32 port = 3;

  // Number or name of the port to access on the pods targeted by the service.
  // +optional
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4;

  // The port on each node on which this service is exposed when type is
  // NodePort or LoadBalancer.
  // +optional
  optional int32 nodePort = 5;
}

// ServiceSpec describes the attributes that a user creates on a service.
message ServiceSpec {
  // The list of ports that are exposed by this service.
  // +patchMergeKey=port
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=port
  // +listMapKey=protocol
  repeated ServicePort ports = 1;

  // Route service traffic to pods with label keys and values matching this
  // selector.
  // +optional
  // +mapType=atomic
  map<string, string> selector = 2;

  // clusterIP is the IP address of the service and is usually assigned
  // randomly.
  // +optional
  optional string clusterIP = 3;

  // ClusterIPs is a list of IP addresses assigned to this service.
  // +listType=atomic
  // +optional
  repeated string clusterIPs = 18;

  // type determines how the Service is exposed. Defaults to ClusterIP. Valid
  // options are ExternalName, ClusterIP, NodePort, and LoadBalancer.
  // +optional
  optional string type = 4;

  // externalIPs is a list of IP addresses for which nodes in the cluster
  // will also accept traffic for this service.
  // +optional
  // +listType=atomic
  repeated string externalIPs = 5;

  // Supports "ClientIP" and "None". Used to maintain session affinity.
  // +optional
  optional string sessionAffinity = 7;

  // Only applies to Service Type: LoadBalancer.
  // Deprecated: This field was under-specified and its meaning varies across implementations.
  // +optional
  optional string loadBalancerIP = 8;

  // If specified and supported by the platform, this will restrict traffic through the cloud-provider
  // load-balancer will be restricted to the specified client IPs.
  // +optional
  // +listType=atomic
  repeated string loadBalancerSourceRanges = 9;

  // externalName is the external reference that discovery mechanisms will
  // return as an alias for this service (e.g. a DNS CNAME record).
  // +optional
  optional string externalName = 10;

  // externalTrafficPolicy describes how nodes distribute service traffic they
  // receive on one of the Service's "externally-facing" addresses.
  // +optional
  optional string externalTrafficPolicy = 11;

  // healthCheckNodePort specifies the healthcheck nodePort for the service.
  // +optional
  optional int32 healthCheckNodePort = 12;

  // publishNotReadyAddresses indicates that any agent which deals with endpoints for this
  // Service should disregard any indications of ready/not-ready.
  // +optional
  optional bool publishNotReadyAddresses = 13;

  // sessionAffinityConfig contains the configurations of session affinity.
  // +optional
  optional SessionAffinityConfig sessionAffinityConfig = 14;

  // IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this
  // service.
  // +listType=atomic
  // +optional
  repeated string ipFamilies = 19;

  // IPFamilyPolicy represents the dual-stack-ness requested or required by
  // this Service.
  // +optional
  optional string ipFamilyPolicy = 17;

  // allocateLoadBalancerNodePorts defines if NodePorts will be automatically
  // allocated for services with type LoadBalancer.
  // +optional
  optional bool allocateLoadBalancerNodePorts = 20;

  // loadBalancerClass is the class of the load balancer implementation this Service belongs to.
  // +optional
  optional string loadBalancerClass = 21;

  // InternalTrafficPolicy describes how nodes distribute service traffic they
  // receive on the ClusterIP.
  // +optional
  optional string internalTrafficPolicy = 22;

  // TrafficDistribution offers a way to express preferences for how traffic is
  // distributed to Service endpoints.
  // +optional
  optional string trafficDistribution = 23;
}

// PortStatus represents the error condition of a service port
message PortStatus {
  // Port is the port number of the service port of which status is recorded here
  optional int32 port = 1;

  // Protocol is the protocol of the service port of which status is recorded here
  optional string protocol = 2;

  // Error is to record the problem with the service port
  // +optional
  optional string error = 3;
}

// LoadBalancerIngress represents the status of a load-balancer ingress point:
// traffic intended for the service should be sent to an ingress point.
message LoadBalancerIngress {
  // IP is set for load-balancer ingress points that are IP based
  // +optional
  optional string ip = 1;

  // Hostname is set for load-balancer ingress points that are DNS based
  // +optional
  optional string hostname = 2;

  // IPMode specifies how the load-balancer IP behaves.
  // +optional
  optional string ipMode = 3;

  // Ports is a list of records of service ports
  // +listType=atomic
  // +optional
  repeated PortStatus ports = 4;
}

// LoadBalancerStatus represents the status of a load-balancer.
message LoadBalancerStatus {
  // Ingress is a list containing ingress points for the load-balancer.
  // +optional
  // +listType=atomic
  repeated LoadBalancerIngress ingress = 1;
}

// ServiceStatus represents the current status of a service.
message ServiceStatus {
  // LoadBalancer contains the current status of the load-balancer,
  // if one is present.
  // +optional
  optional LoadBalancerStatus loadBalancer = 1;

  // Current service state
  // +optional
  // +patchMergeKey=type
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=type
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.Condition conditions = 2;
}

// Service is a named abstraction of software service (for example, mysql) consisting of local port
// (for example 3306) that the proxy listens on, and the selector that determines which pods
// will answer requests sent through the proxy.
message Service {
  // Standard object's metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;

  // Spec defines the behavior of a service.
  // +optional
  optional ServiceSpec spec = 2;

  // Most recently observed status of the service.
  // Populated by the system.
  // Read-only.
  // +optional
  optional ServiceStatus status = 3;
}

// ServiceList holds a list of services.
message ServiceList {
  // Standard list metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1;

  // List of services
  repeated Service items = 2;
}

// ContainerPort represents a network port in a single container.
message ContainerPort {
  // If specified, this must be an IANA_SVC_NAME and unique within the pod.
  // +optional
  optional string name = 1;

  // Number of port to expose on the host.
  // +optional
  optional int32 hostPort = 2;

  // Number of port to expose on the pod's IP address.
  optional int32 containerPort = 3;

  // Protocol for port. Must be UDP, TCP, or SCTP.
  // Defaults to "TCP".
  // +optional
  // +default="TCP"
  optional string protocol = 4;

  // What host IP to bind the external port to.
  // +optional
  optional string hostIP = 5;
}

// EnvVar represents an environment variable present in a Container.
// +kubesim:subset
message EnvVar {
  // Name of the environment variable.
  optional string name = 1;

  // Variable references $(VAR_NAME) are expanded using the previously defined
  // environment variables in the container and any service environment variables.
  // +optional
  optional string value = 2;
}

// ResourceRequirements describes the compute resource requirements.
// +kubesim:subset
message ResourceRequirements {
  // Limits describes the maximum amount of compute resources allowed.
  // +optional
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;

  // Requests describes the minimum amount of compute resources required.
  // +optional
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
}

// A single application container that you want to run within a pod.
// +kubesim:subset
message Container {
  // Name of the container specified as a DNS_LABEL.
  optional string name = 1;

  // Container image name.
  // +optional
  optional string image = 2;

  // Entrypoint array. Not executed within a shell.
  // +optional
  // +listType=atomic
  repeated string command = 3;

  // Arguments to the entrypoint.
  // +optional
  // +listType=atomic
  repeated string args = 4;

  // Container's working directory.
  // +optional
  optional string workingDir = 5;

  // List of ports to expose from the container.
  // +optional
  // +patchMergeKey=containerPort
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=containerPort
  // +listMapKey=protocol
  repeated ContainerPort ports = 6;

  // List of environment variables to set in the container.
  // +optional
  // +patchMergeKey=name
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=name
  repeated EnvVar env = 7;

  // Compute Resources required by this container.
  // +optional
  optional ResourceRequirements resources = 8;

  // Optional: Path at which the file to which the container's termination message
  // will be written is mounted into the container's filesystem.
  // +optional
  optional string terminationMessagePath = 13;

  // Indicate how the termination message should be populated.
  // +optional
  optional string terminationMessagePolicy = 20;

  // Image pull policy. One of Always, Never, IfNotPresent.
  // +optional
  optional string imagePullPolicy = 14;

  // Whether this container should allocate a buffer for stdin in the container runtime.
  // +optional
  optional bool stdin = 16;

  // Whether the container runtime should close the stdin channel after it has been opened by
  // a single attach.
  // +optional
  optional bool stdinOnce = 17;

  // Whether this container should allocate a TTY for itself.
  // +optional
  optional bool tty = 18;
}

// The pod this Toleration is attached to tolerates any taint that matches
// the triple <key,value,effect> using the matching operator <operator>.
message Toleration {
  // +optional
  optional string key = 1;

  // +optional
  optional string operator = 2;

  // +optional
  optional string value = 3;

  // +optional
  optional string effect = 4;

  // +optional
  optional int64 tolerationSeconds = 5;
}

// PodSpec is a description of a pod.
// +kubesim:subset
message PodSpec {
  // List of initialization containers belonging to the pod.
  // +patchMergeKey=name
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=name
  // +optional
  repeated Container initContainers = 20;

  // List of containers belonging to the pod.
  // +patchMergeKey=name
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=name
  repeated Container containers = 2;

  // Restart policy for all containers within the pod.
  // +optional
  optional string restartPolicy = 3;

  // Optional duration in seconds the pod needs to terminate gracefully.
  // +optional
  optional int64 terminationGracePeriodSeconds = 4;

  // Optional duration in seconds the pod may be active on the node relative to
  // StartTime before the system will actively try to mark it failed and kill associated containers.
  // +optional
  optional int64 activeDeadlineSeconds = 5;

  // Set DNS policy for the pod.
  // +optional
  optional string dnsPolicy = 6;

  // NodeSelector is a selector which must be true for the pod to fit on a node.
  // +optional
  // +mapType=atomic
  map<string, string> nodeSelector = 7;

  // ServiceAccountName is the name of the ServiceAccount to use to run this pod.
  // +optional
  optional string serviceAccountName = 8;

  // DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.
  // +k8s:conversion-gen=false
  // +optional
  optional string serviceAccount = 9;

  // AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.
  // +optional
  optional bool automountServiceAccountToken = 21;

  // NodeName indicates in which node this pod is scheduled.
  // +optional
  optional string nodeName = 10;

  // Host networking requested for this pod.
  // +k8s:conversion-gen=false
  // +optional
  optional bool hostNetwork = 11;

  // Use the host's pid namespace.
  // +k8s:conversion-gen=false
  // +optional
  optional bool hostPID = 12;

  // Use the host's ipc namespace.
  // +k8s:conversion-gen=false
  // +optional
  optional bool hostIPC = 13;

  // Share a single process namespace between all of the containers in a pod.
  // +k8s:conversion-gen=false
  // +optional
  optional bool shareProcessNamespace = 27;

  // ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.
  // +optional
  // +patchMergeKey=name
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=name
  repeated LocalObjectReference imagePullSecrets = 15;

  // Specifies the hostname of the Pod
  // +optional
  optional string hostname = 16;

  // If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".
  // +optional
  optional string subdomain = 17;

  // If specified, the pod will be dispatched by specified scheduler.
  // +optional
  optional string schedulerName = 19;

  // If specified, the pod's tolerations.
  // +optional
  // +listType=atomic
  repeated Toleration tolerations = 22;

  // If specified, indicates the pod's priority.
  // +optional
  optional string priorityClassName = 24;

  // The priority value.
  // +optional
  optional int32 priority = 25;

  // RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group.
  // +optional
  optional string runtimeClassName = 29;

  // EnableServiceLinks indicates whether information about services should be injected into pod's
  // environment variables.
  // +optional
  optional bool enableServiceLinks = 30;

  // PreemptionPolicy is the Policy for preempting pods with lower priority.
  // +optional
  optional string preemptionPolicy = 31;

  // If true the pod's hostname will be configured as the pod's FQDN.
  // +optional
  optional bool setHostnameAsFQDN = 35;

  // Use the host's user namespace.
  // +k8s:conversion-gen=false
  // +optional
  optional bool hostUsers = 37;
}

// PodCondition contains details for the current condition of this pod.
message PodCondition {
  // Type is the type of the condition.
  optional string type = 1;

  // Status is the status of the condition.
  // Can be True, False, Unknown.
  optional string status = 2;

  // Last time we probed the condition.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3;

  // Last time the condition transitioned from one status to another.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;

  // Unique, one-word, CamelCase reason for the condition's last transition.
  // +optional
  optional string reason = 5;

  // Human-readable message indicating details about last transition.
  // +optional
  optional string message = 6;
}

// PodIP represents a single IP address allocated to the pod.
message PodIP {
  // IP is the IP address assigned to the pod
  // +required
  optional string ip = 1;
}

// HostIP represents a single IP address allocated to the host.
message HostIP {
  // IP is the IP address assigned to the host
  // +required
  optional string ip = 1;
}

// ContainerStateRunning is a running state of a container.
message ContainerStateRunning {
  // Time at which the container was last (re-)started
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 1;
}

// ContainerStateWaiting is a waiting state of a container.
message ContainerStateWaiting {
  // (brief) reason the container is not yet running.
  // +optional
  optional string reason = 1;

  // Message regarding why the container is not yet running.
  // +optional
  optional string message = 2;
}

// ContainerState holds a possible state of container.
// +kubesim:subset
message ContainerState {
  // Details about a waiting container
  // +optional
  optional ContainerStateWaiting waiting = 1;

  // Details about a running container
  // +optional
  optional ContainerStateRunning running = 2;
}

// ContainerStatus contains details for the current status of this container.
// +kubesim:subset
message ContainerStatus {
  // Name is a DNS_LABEL representing the unique name of the container.
  optional string name = 1;

  // State holds details about the container's current condition.
  // +optional
  optional ContainerState state = 2;

  // LastTerminationState holds the last termination state of the container.
  // +optional
  optional ContainerState lastState = 3;

  // Ready specifies whether the container is currently passing its readiness check.
  optional bool ready = 4;

  // RestartCount holds the number of times the container has been restarted.
  optional int32 restartCount = 5;

  // Image is the name of container image that the container is running.
  optional string image = 6;

  // ImageID is the image ID of the container's image.
  optional string imageID = 7;

  // ContainerID is the ID of the container in the format '<type>://<container_id>'.
  // +optional
  optional string containerID = 8;

  // Started indicates whether the container has finished its postStart lifecycle hook
  // and passed its startup probe.
  // +optional
  optional bool started = 9;
}

// PodStatus represents information about the status of a pod.
// +kubesim:subset
message PodStatus {
  // The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.
  // +optional
  optional string phase = 1;

  // Current service state of pod.
  // +optional
  // +patchMergeKey=type
  // +patchStrategy=merge
  // +listType=map
  // +listMapKey=type
  repeated PodCondition conditions = 2;

  // A human readable message indicating details about why the pod is in this condition.
  // +optional
  optional string message = 3;

  // A brief CamelCase message indicating details about why the pod is in this state.
  // +optional
  optional string reason = 4;

  // nominatedNodeName is set only when this pod preempts other pods on the node.
  // +optional
  optional string nominatedNodeName = 11;

  // hostIP holds the IP address of the host to which the pod is assigned.
  // +optional
  optional string hostIP = 5;

  // hostIPs holds the IP addresses allocated to the host.
  // +optional
  // +patchStrategy=merge
  // +patchMergeKey=ip
  // +listType=atomic
  repeated HostIP hostIPs = 16;

  // podIP address allocated to the pod.
  // +optional
  optional string podIP = 6;

  // podIPs holds the IP addresses allocated to the pod.
  // +optional
  // +patchStrategy=merge
  // +patchMergeKey=ip
  // +listType=map
  // +listMapKey=ip
  repeated PodIP podIPs = 12;

  // RFC 3339 date and time at which the object was acknowledged by the Kubelet.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 7;

  // The list has one entry per init container in the manifest.
  // +optional
  // +listType=atomic
  repeated ContainerStatus initContainerStatuses = 10;

  // The list has one entry per container in the manifest.
  // +optional
  // +listType=atomic
  repeated ContainerStatus containerStatuses = 8;

  // The Quality of Service (QOS) classification assigned to the pod based on resource requirements.
  // +optional
  optional string qosClass = 9;
}

// Pod is a collection of containers that can run on a host. This resource is created
// by clients and scheduled onto hosts.
message Pod {
  // Standard object's metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;

  // Specification of the desired behavior of the pod.
  // +optional
  optional PodSpec spec = 2;

  // Most recently observed status of the pod.
  // +optional
  optional PodStatus status = 3;
}

// PodList is a list of Pods.
message PodList {
  // Standard list metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta metadata = 1;

  // List of pods.
  repeated Pod items = 2;
}

// PodTemplateSpec describes the data a pod should have when created from a template
message PodTemplateSpec {
  // Standard object's metadata.
  // +optional
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;

  // Specification of the desired behavior of the pod.
  // +optional
  optional PodSpec spec = 2;
}
`;

/**
 * Cloud Map service discovery: a private DNS namespace in the VPC ("local" by default) and, per ECS service, a
 * Cloud Map service whose A records ECS keeps up to date with the tasks' IPs (awsvpc tasks each have their own).
 * Inside the VPC a task reaches another service as "<name>.<namespace>", e.g. backend.local; MULTIVALUE
 * answers with up to eight healthy tasks, and ECS's own health status decides which (custom health check).
 */
import { Construct } from "constructs";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { ServiceDiscoveryService } from "@cdktf/provider-aws/lib/service-discovery-service";
import { callEnvironment, type DiscoverySettings } from "../settings/discovery";
import type { Network } from "./network";
import type { EnvironmentVariable } from "./ecs/service";

export interface ServiceDiscoveryProps {
  /** The VPC whose resolver answers for the namespace. */
  readonly network: Network;
  /** Namespace name. */
  readonly settings: DiscoverySettings;
}

export class ServiceDiscovery extends Construct {
  /** Seconds resolvers cache an answer: short, so that a replaced task drops out quickly. */
  static readonly RECORD_TTL_SECONDS = 10;
  readonly namespace: ServiceDiscoveryPrivateDnsNamespace;
  readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: ServiceDiscoveryProps) {
    super(scope, id);
    this.namespaceName = props.settings.namespace;
    this.namespace = new ServiceDiscoveryPrivateDnsNamespace(this, "namespace", {
      name: this.namespaceName,
      vpc: props.network.vpc.id,
      description: "Names of the workshop's services, inside the VPC",
    });
  }

  /** "<name>.<namespace>" */
  dnsName(service: string): string {
    return `${service}.${this.namespaceName}`;
  }

  /** A Cloud Map service named `service` with A records; its construct id carries the name, so its address follows the name. */
  register(service: string): ServiceDiscoveryService {
    return new ServiceDiscoveryService(this, `service-${service}`, {
      name: service,
      description: `Tasks of ${service}, as ${this.dnsName(service)}`,
      dnsConfig: {
        namespaceId: this.namespace.id,
        dnsRecords: [{ type: "A", ttl: ServiceDiscovery.RECORD_TTL_SECONDS }],
        routingPolicy: "MULTIVALUE",
      },
      healthCheckCustomConfig: { failureThreshold: 1 },
      forceDestroy: true,
    });
  }

  /** <NAME>_HOST, <NAME>_PORT and <NAME>_URL of a service another one calls (NAME: upper case, "-" as "_"). */
  addressOf(service: string, port: number): EnvironmentVariable[] {
    const [hostName, portName, urlName] = callEnvironment(service);
    const host = this.dnsName(service);
    return [
      { name: hostName, value: host },
      { name: portName, value: String(port) },
      { name: urlName, value: `http://${host}${port === 80 ? "" : `:${port}`}` },
    ];
  }
}

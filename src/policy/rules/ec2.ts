/**
 * EC2: launch templates, launch configurations, and instances. An instance is judged by its own attributes, as
 * checkov and trivy judge it: they do not follow its launch template, so an instance that leaves a setting to
 * its template fails there, and here too, so that a waiver (with its reason) makes the skip the scanners need.
 */
// source: checkov resource/aws (CKV_AWS_79 IMDSv1Disabled, CKV_AWS_8 LaunchConfigurationEBSEncryption, CKV_AWS_88 EC2PublicIP),
// trivy-checks checks/cloud/aws/ec2 (AVD-AWS-0028 enforce_http_token_imds, AVD-AWS-0130 as_enforce_http_token_imds,
// AVD-AWS-0131 enable_at_rest_encryption, AVD-AWS-0009 no_public_ip), AWS Security Hub EC2 controls (EC2.8, EC2.9, EC2.25,
// EC2.170, EC2.181); read 2026-12-06
import type { Rule } from "../types";
import { type Attributes, type Resource, type StackView } from "../stack-view";
import { block, blocks, flagWhere, isTrue } from "./helpers";

const TEMPLATE = "aws_launch_template";
const CONFIGURATION = "aws_launch_configuration";
const INSTANCE = "aws_instance";

/** IMDSv1 is off when session tokens are required, or when the metadata endpoint is off altogether. */
const imdsv1Off = (options: Attributes | undefined) => options?.http_tokens === "required" || options?.http_endpoint === "disabled";

/** The launch template an instance is launched from, when the stack holds it. */
const templateOf = (stack: StackView, instance: Resource) => {
  const reference = block(instance.attributes.launch_template);
  return stack.target(reference?.id) ?? stack.target(reference?.name);
};

/** Why an instance gets a public IPv4 address, or false when it gets none. */
function publicIpv4(stack: StackView, instance: Resource): string | false {
  const own = instance.attributes.associate_public_ip_address;
  if (own !== undefined) return isTrue(own) && "associate_public_ip_address = true";
  const template = templateOf(stack, instance);
  const fromTemplate = template && blocks(template.attributes.network_interfaces)[0]?.associate_public_ip_address;
  if (fromTemplate !== undefined) return isTrue(fromTemplate) && `its launch template ${template?.address} associates a public IP`;
  const subnet = stack.target(instance.attributes.subnet_id);
  if (isTrue(subnet?.attributes.map_public_ip_on_launch)) return `its subnet ${subnet?.address} maps a public IP on launch`;
  const eip = stack.all("aws_eip", "aws_eip_association").find((e) => stack.target(e.attributes.instance)?.address === instance.address);
  return eip ? `${eip.address} gives it an Elastic IP` : false;
}

export const EC2_RULES: Rule[] = [
  {
    id: "EC2-IMDSV2",
    service: "ec2",
    severity: "error",
    reason: "Instance metadata without session tokens (IMDSv1) hands the instance role's credentials to any request a process can be tricked into making.",
    fix: 'Set metadata_options { http_tokens = "required" } on the launch template, and on an instance as well.',
    checkov: ["CKV_AWS_79"],
    trivy: ["AVD-AWS-0028", "AVD-AWS-0130"],
    securityHub: ["EC2.8", "EC2.170"],
    check: (stack) => [
      ...flagWhere(stack, [TEMPLATE, CONFIGURATION], (template) => !imdsv1Off(block(template.attributes.metadata_options))),
      ...flagWhere(stack, INSTANCE, (instance) => !imdsv1Off(block(instance.attributes.metadata_options))),
    ],
  },
  {
    id: "EC2-EBS-ENCRYPTED",
    service: "ec2",
    severity: "error",
    reason: "An unencrypted volume leaves its data, and every snapshot of it, readable to whoever gets a copy.",
    fix: "Declare every EBS volume of the launch template (the root volume too), and of an instance (root_block_device too), with encrypted = true.",
    checkov: ["CKV_AWS_8"],
    trivy: ["AVD-AWS-0131"],
    securityHub: ["EC2.181"],
    check: (stack) => [
      ...flagWhere(stack, TEMPLATE, (template) => {
        const volumes = blocks(template.attributes.block_device_mappings).map((mapping) => block(mapping.ebs)).filter((ebs) => ebs !== undefined);
        if (volumes.length === 0) return "no block device mapping declares the root volume encrypted";
        return volumes.some((ebs) => !isTrue(ebs.encrypted));
      }),
      ...flagWhere(stack, INSTANCE, (instance) => {
        const root = block(instance.attributes.root_block_device);
        const others = blocks(instance.attributes.ebs_block_device);
        return !isTrue(root?.encrypted) || others.some((ebs) => !isTrue(ebs.encrypted));
      }),
    ],
  },
  {
    id: "EC2-NO-PUBLIC-IP",
    service: "ec2",
    severity: "warning",
    reason: "An instance with a public IPv4 address is addressable from the internet; only its security group stands in the way.",
    fix: "Launch into private subnets without a public IP (network.nat or network.enableVpcEndpoints) and reach the host through Session Manager.",
    checkov: ["CKV_AWS_88"],
    trivy: ["AVD-AWS-0009"],
    securityHub: ["EC2.9", "EC2.25"],
    check: (stack) => [
      ...flagWhere(stack, TEMPLATE, (template) => blocks(template.attributes.network_interfaces).some((nic) => isTrue(nic.associate_public_ip_address))),
      ...flagWhere(stack, CONFIGURATION, (configuration) => isTrue(configuration.attributes.associate_public_ip_address)),
      ...flagWhere(stack, INSTANCE, (instance) => publicIpv4(stack, instance)),
    ],
  },
];

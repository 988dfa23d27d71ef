/**
 * EC2: launch templates, and instances. An instance is judged by its own attributes, as checkov and trivy judge
 * it: they do not follow its launch template, so an instance that leaves a setting to its template fails
 * there, and here too, so that a waiver (with its reason) makes the skip the scanners need.
 */
// source: checkov resource/aws (CKV_AWS_79 IMDSv1 disabled, CKV_AWS_8 encrypted EBS), trivy-checks checks/cloud/aws/ec2
// (AVD-AWS-0028 enforce IMDS tokens, AVD-AWS-0131 encrypted root volume), AWS Security Hub EC2 controls (EC2.8); read 2026-11-22
import type { Rule } from "../types";
import { asList, type Attributes } from "../stack-view";
import { block, flagWhere } from "./helpers";

const TEMPLATE = "aws_launch_template";
const INSTANCE = "aws_instance";

/** Terraform takes booleans of nested blocks as true or "true". */
const isTrue = (value: unknown) => value === true || value === "true";
const blocks = (value: unknown) => asList(value).map(block).filter((b): b is Attributes => b !== undefined);

export const EC2_RULES: Rule[] = [
  {
    id: "EC2-IMDSV2",
    service: "ec2",
    severity: "error",
    reason: "Instance metadata without session tokens (IMDSv1) hands the instance role's credentials to any request a process can be tricked into making.",
    fix: 'Set metadata_options { http_tokens = "required" } on the launch template, and on an instance as well.',
    checkov: ["CKV_AWS_79"],
    trivy: ["AVD-AWS-0028"],
    securityHub: ["EC2.8"],
    check: (stack) => [
      ...flagWhere(stack, TEMPLATE, (template) => block(template.attributes.metadata_options)?.http_tokens !== "required"),
      ...flagWhere(stack, INSTANCE, (instance) => block(instance.attributes.metadata_options)?.http_tokens !== "required"),
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
];

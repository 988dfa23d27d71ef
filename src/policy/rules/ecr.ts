/** ECR: the image repository. */
// source: checkov resource/aws (ECR*), trivy-checks checks/cloud/aws/ecr, AWS Security Hub ECR controls; read 2026-12-06
import type { Rule } from "../types";
import { block, flagWhere } from "./helpers";

export const ECR_RULES: Rule[] = [
  {
    id: "ECR-SCAN-ON-PUSH",
    service: "ecr",
    severity: "error",
    reason: "Images with known vulnerabilities should be flagged the moment they are pushed.",
    fix: "Set image_scanning_configuration { scan_on_push = true }.",
    checkov: ["CKV_AWS_163"],
    trivy: ["AVD-AWS-0030"],
    securityHub: ["ECR.1"],
    check: (stack) => flagWhere(stack, "aws_ecr_repository", (repo) => block(repo.attributes.image_scanning_configuration)?.scan_on_push !== true),
  },
  {
    id: "ECR-IMMUTABLE-TAGS",
    service: "ecr",
    severity: "warning",
    reason: "A mutable tag can be pushed again, so the same tag may run different code tomorrow.",
    fix: 'Set image_tag_mutability = "IMMUTABLE" (registry.imageTagMutability) and deploy versioned tags.',
    checkov: ["CKV_AWS_51"],
    trivy: ["AVD-AWS-0031"],
    securityHub: ["ECR.2"],
    check: (stack) => flagWhere(stack, "aws_ecr_repository", (repo) => repo.attributes.image_tag_mutability !== "IMMUTABLE"),
  },
  {
    id: "ECR-CUSTOMER-KEY",
    service: "ecr",
    severity: "warning",
    reason: "With AES256 (AWS-owned keys) the key policy and rotation are not yours to control.",
    fix: 'Set encryption_configuration { encryption_type = "KMS", kms_key = <customer key> }.',
    checkov: ["CKV_AWS_136"],
    trivy: ["AVD-AWS-0033"],
    securityHub: ["ECR.5"],
    check: (stack) =>
      flagWhere(stack, "aws_ecr_repository", (repo) => {
        const encryption = block(repo.attributes.encryption_configuration);
        if (encryption?.encryption_type !== "KMS") return true;
        return (typeof encryption.kms_key !== "string" || encryption.kms_key === "") && "KMS without kms_key: the AWS managed key aws/ecr";
      }),
  },
  {
    id: "ECR-LIFECYCLE-POLICY",
    service: "ecr",
    severity: "warning",
    reason: "Without a lifecycle policy old and untagged images pile up and cost storage.",
    fix: "Add an aws_ecr_lifecycle_policy for the repository.",
    securityHub: ["ECR.3"],
    check: (stack) => flagWhere(stack, "aws_ecr_repository", (repo) => stack.referrers(repo, "aws_ecr_lifecycle_policy").length === 0),
  },
];

/** Elastic Load Balancing limits the listener rules must respect. */
// source: Elastic Load Balancing quotas and listener rule conditions,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html and
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html, read 2026-11-22

/** Rules a listener takes besides its default action. */
export const MAX_RULES_PER_LISTENER = 100;
/** Values (path patterns here) one rule's conditions may hold in all. */
export const MAX_CONDITION_VALUES_PER_RULE = 5;
/** Wildcards ("*" and "?") one rule's conditions may hold in all ("Condition wildcards per rule"; not adjustable). */
// source: the same quota page, Rules: "Condition wildcards per rule", read 2026-12-06 (the zh_cn page reads 5, a
// Japanese translation 6; the lower one is kept, so that no rule is refused by AWS)
export const MAX_WILDCARDS_PER_RULE = 5;
/** Target groups one Application Load Balancer may have (not adjustable): one per routed service here. */
export const MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100;
/** Characters of a health check path. */
// source: Elastic Load Balancing API Reference, CreateTargetGroup, HealthCheckPath (length 1 to 1024), read 2026-12-06
export const MAX_HEALTH_CHECK_PATH_LENGTH = 1024;
/** Listener rule priorities run from 1 to 50000. */
export const MAX_PRIORITY = 50000;
/** Extra certificates an HTTPS listener takes besides its default one. */
export const MAX_EXTRA_CERTIFICATES = 25;

/** Elastic Load Balancing limits the listener rules must respect. */
// source: Elastic Load Balancing quotas and listener rule conditions,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html and
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html, read 2026-11-22

/** Rules a listener takes besides its default action. */
export const MAX_RULES_PER_LISTENER = 100;
/** Values (path patterns here) one rule's conditions may hold in all. */
export const MAX_CONDITION_VALUES_PER_RULE = 5;
/** Listener rule priorities run from 1 to 50000. */
export const MAX_PRIORITY = 50000;
/** Extra certificates an HTTPS listener takes besides its default one. */
export const MAX_EXTRA_CERTIFICATES = 25;

/**
 * Errors a user can fix: bad settings, a bad argument, a policy finding. The commands print their message
 * alone (no stack trace) and exit non-zero; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A Terraform command that failed: its own output says why (an invalid configuration, a provider error), so
 * the commands print the message alone, like a UserError's, and exit non-zero.
 */
export class TerraformError extends UserError {}

/** An error-severity policy finding that no waiver accepts (see src/policy). */
export class PolicyError extends UserError {}

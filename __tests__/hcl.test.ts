/**
 * The repairs synth:hcl makes to cdktf's HCL, on the text cdktf's own renderer writes. That Terraform then plans
 * the same values from the HCL as from the JSON is shown by hcl-plan.test.ts.
 */
import { TerraformStack, Testing } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { exactHcl } from "../src/synth";

/** cdktf's HCL of one instance with a two-line script, launched from a template, with lifecycle references. */
function renderedByCdktf(): string {
  const stack = new TerraformStack(Testing.app(), "hcl");
  const template = new LaunchTemplate(stack, "template", { name: "t" });
  new Instance(stack, "host", {
    launchTemplate: { id: template.id, version: "$Latest" },
    userData: "#!/bin/bash\necho ready\n",
    tags: { Note: "ami" },
    dependsOn: [template],
    lifecycle: { ignoreChanges: ["ami"], replaceTriggeredBy: [`${template.terraformResourceType}.${template.friendlyUniqueId}.latest_version`] },
  });
  return Testing.synthHcl(stack);
}

describe("exactHcl", () => {
  let before: string;
  let after: string;
  beforeAll(() => {
    before = renderedByCdktf();
    after = exactHcl(before);
  });

  test("cdktf writes a script as a heredoc, whose value gains a line break before the closing EOF", () => {
    // (the reason for the repair: the heredoc's last line "" plus its own line break)
    expect(before).toContain('user_data = <<EOF\n#!/bin/bash\necho ready\n\nEOF\n');
  });

  test("the heredoc is kept, and trimsuffix takes back exactly the one line break the heredoc adds", () => {
    expect(after).toContain('user_data = trimsuffix(<<EOF\n#!/bin/bash\necho ready\n\nEOF\n, "\\n")\n');
  });

  test("the references of replace_triggered_by, ignore_changes and depends_on are written bare", () => {
    expect(after).toMatch(/replace_triggered_by = \[\n\s*aws_launch_template\.template\.latest_version,?\n\s*\]/);
    expect(after).toMatch(/ignore_changes = \[\n\s*ami,?\n\s*\]/);
    expect(after).toMatch(/depends_on = \[\n\s*aws_launch_template\.template,?\n\s*\]/);
    expect(after).not.toMatch(/"aws_launch_template\.template(\.latest_version)?"/);
  });

  test("strings that are values stay quoted, references inside them too", () => {
    expect(after).toMatch(/Note = "ami"/);
    expect(after).toMatch(/id\s+= "\$\{aws_launch_template\.template\.id\}"/);
  });

  test("a second pass changes nothing", () => {
    expect(exactHcl(after)).toBe(after);
  });
});

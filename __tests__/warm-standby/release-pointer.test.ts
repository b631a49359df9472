/**
 * ReleasePointer: "an SSM parameter holding the image tag the backend hosts run, or "none". Terraform creates it
 * with "none" and never touches the value again (the delivery pipeline owns it) … SSM refuses a value that is not
 * "none" or an image tag."
 */
import { ReleasePointer } from "../../modules/warm-standby/release-pointer";
import { InvalidInputError } from "../../modules/core/validation";
import { invalidInputOf } from "../support/invalid-input";
import { one, refOf, scopeWith, synthWith } from "./delivery-support";

const NAME = "/webplat-dev-stage4/release";
const REPO = "webplat-dev-stage4/app";
const NAME_ALLOWED = "an absolute SSM parameter name such as /webplat-dev-stage4/release";

describe("ReleasePointer", () => {
  test('creates a Standard String parameter holding "none", whose value Terraform ignores afterwards, restricted to "none" or an image tag', () => {
    const json = synthWith(({ stack }) => {
      new ReleasePointer(stack, "pointer", { name: NAME, repositoryName: REPO });
    });
    expect(Object.keys(json.resource!)).toEqual(["aws_ssm_parameter"]);
    const [, parameter] = one(json, "aws_ssm_parameter");
    expect(parameter).toEqual({
      name: NAME,
      description: 'Image tag of webplat-dev-stage4/app the backend hosts run at boot ("none": the default application); set by the delivery pipeline',
      type: "String",
      tier: "Standard",
      value: "none",
      allowed_pattern: "^(none|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$",
      lifecycle: { ignore_changes: ["value"] },
      tags: { Name: NAME },
    });
  });

  test("the allowed pattern accepts exactly \"none\" and image tags (1-128 characters, no leading . or -)", () => {
    const json = synthWith(({ stack }) => {
      new ReleasePointer(stack, "pointer", { name: NAME, repositoryName: REPO });
    });
    const pattern = new RegExp(one(json, "aws_ssm_parameter")[1].allowed_pattern);
    for (const ok of ["none", "v1.4.2", "a", "_x", "A".repeat(128), "sha-0123abcd_x.y"]) expect([ok, pattern.test(ok)]).toEqual([ok, true]);
    for (const bad of ["", ".v1", "-v1", "A".repeat(129), "v1;reboot", "v 1", "none1;", "xnone;"]) expect([bad, pattern.test(bad)]).toEqual([bad, false]);
  });

  test("the parameter lives in the region of the provider it is given (the DR pointer in the DR region)", () => {
    const json = synthWith(({ stack, dr }) => {
      new ReleasePointer(stack, "pointer", { provider: dr, name: "/other/release", repositoryName: "other/app" });
    });
    const [, parameter] = one(json, "aws_ssm_parameter");
    expect(parameter.provider).toBe("aws.dr");
    expect(parameter.name).toBe("/other/release");
    expect(parameter.tags).toEqual({ Name: "/other/release" });
    expect(parameter.description).toBe('Image tag of other/app the backend hosts run at boot ("none": the default application); set by the delivery pipeline');
  });

  test("parameterName is the concrete name (it goes into user data); parameterArn references the parameter", () => {
    let pointer: ReleasePointer | undefined;
    const json = synthWith(({ stack }) => {
      pointer = new ReleasePointer(stack, "pointer", { name: NAME, repositoryName: REPO });
      return { arn: pointer.parameterArn, name: pointer.parameterName };
    });
    expect(pointer!.parameterName).toBe(NAME);
    const [name] = one(json, "aws_ssm_parameter");
    expect(json.output!.arn.value).toBe(refOf("aws_ssm_parameter", name, "arn"));
    expect(json.output!.name.value).toBe(NAME);
  });

  test("accepts absolute names of letters, digits, _ . - / from 1 to 1000 characters after the leading slash", () => {
    const { stack } = scopeWith();
    for (const [i, name] of ["/a", "/Az09_.-/x", `/${"a".repeat(1000)}`, "/a/b/c"].entries()) {
      expect(new ReleasePointer(stack, `ok${i}`, { name, repositoryName: REPO }).parameterName).toBe(name);
    }
  });

  test.each([
    ["relative", "release"],
    ["the slash not first", "x/release"],
    ["only a slash", "/"],
    ["a trailing slash", "/webplat/release/"],
    ["a space", "/webplat release"],
    ["a trailing space", "/webplat/release "],
    ["a shell character", "/webplat/release;x"],
    ["1001 characters after the slash", `/${"a".repeat(1001)}`],
  ])("refuses a name with %s (field, value and what is allowed)", (_what, name) => {
    const { stack } = scopeWith();
    const error = invalidInputOf(() => new ReleasePointer(stack, "pointer", { name, repositoryName: REPO }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect([error.field, error.value, error.allowed]).toEqual(["pointer.name", name, NAME_ALLOWED]);
  });
});

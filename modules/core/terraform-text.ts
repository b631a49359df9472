/**
 * Terraform interpolates `${…}` and `%{…}` inside every string of the JSON
 * configuration. Literal text such as nginx's `$uri` is harmless, but
 * Prometheus relabel replacements (`${1}`) or shell parameter expansions
 * (`${VAR}`) must be escaped or Terraform tries to evaluate them.
 */
export function escapeTerraformTemplate(text: string): string {
  // Replacement functions: in a replacement string "$$" would collapse to "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Inverse of escapeTerraformTemplate: what the instance receives once Terraform has rendered the string. */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{");
}

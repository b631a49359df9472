/** Cross-field rules of the `warmStandby` section (stage 4); the schema checks each field. */
import { InfraConfig } from "./infra-config";
import type { Bad } from "./validate";

export function warmStandbyProblems(config: InfraConfig, bad: Bad): void {
  const ws = config.warmStandby;
  for (const region of ["primaryCapacity", "drCapacity"] as const) {
    for (const tier of ["frontend", "backend"] as const) {
      const field = `warmStandby.${region}.${tier}`;
      const { min, desired, max } = ws[region][tier];
      if (desired < min || desired > max) bad(`${field}.desired`, desired, `an integer from min (${min}) to max (${max})`);
      if (max < min) bad(`${field}.max`, max, `an integer from min (${min}) to 100`);
    }
  }
  for (const tier of ["frontend", "backend"] as const) {
    const primary = ws.primaryCapacity[tier];
    const dr = ws.drCapacity[tier];
    if (dr.desired >= primary.desired) bad(`warmStandby.drCapacity.${tier}.desired`, dr.desired, `fewer than warmStandby.primaryCapacity.${tier}.desired (${primary.desired}): the DR region runs a warm minimum`);
    if (dr.min > primary.min) bad(`warmStandby.drCapacity.${tier}.min`, dr.min, `at most warmStandby.primaryCapacity.${tier}.min (${primary.min})`);
    if (dr.max < primary.max) bad(`warmStandby.drCapacity.${tier}.max`, dr.max, `at least warmStandby.primaryCapacity.${tier}.max (${primary.max}), so a promoted DR region can take the full load`);
  }
  const delivery = ws.delivery;
  if (delivery.ciOidcProviderArn !== "" && delivery.ciSubjects.length === 0) bad("warmStandby.delivery.ciSubjects", delivery.ciSubjects, "at least one token subject when ciOidcProviderArn is set (none would trust every workflow of the provider)");
  if (delivery.ciOidcProviderArn === "" && delivery.ciSubjects.length > 0) bad("warmStandby.delivery.ciOidcProviderArn", delivery.ciOidcProviderArn, "the OIDC provider that issues the tokens of ciSubjects");
  if (ws.bastionMode === "bastion" && !config.access.ssh) bad("warmStandby.bastionMode", ws.bastionMode, '"instance-connect" when access.ssh is false (a bastion is reached by SSH from access.adminCidrs; set access.ssh: true to keep it)');
}

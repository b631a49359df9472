/**
 * The promotion rehearsal's verdict (scripts/rehearsal/promotion.ts): the plan
 * after the flip to activeRegion "dr" fails when it destroys or replaces a
 * stateful resource or re-creates the promoted replica, and passes on the
 * intended in-place changes. (The run against the emulator is
 * `npm run rehearse -- --promotion`; its result is in the README.)
 */
import { judgePromotionPlan, STATEFUL_TYPES } from "../../scripts/rehearsal/promotion";
import { PlannedChange } from "../../scripts/rehearsal/rehearsal";

const REPLICA = "aws_db_instance.database_dr-replica_instance_1A2B3C4D";
const change = (address: string, ...actions: string[]): PlannedChange => ({ address, actions, attributes: [] });

describe("promotion plan verdict", () => {
  it("accepts in-place updates of the promoted database and of the serving path, and the backup plan moving region", () => {
    const verdict = judgePromotionPlan(
      [
        change(REPLICA, "update"),
        change("aws_autoscaling_group.dr_backend_group_1", "update"),
        change("aws_route53_record.api_primary", "update"),
        change("aws_backup_plan.primary_plan", "delete"),
        change("aws_backup_plan.dr_plan", "create"),
      ],
      REPLICA,
    );
    expect(verdict.violations).toEqual([]);
    expect(verdict.counts).toEqual({ create: 1, update: 3, delete: 1, replace: 0 });
    expect(verdict.byType).toEqual({ aws_autoscaling_group: "1 update", aws_backup_plan: "1 delete, 1 create", aws_db_instance: "1 update", aws_route53_record: "1 update" });
  });

  it.each(STATEFUL_TYPES)("refuses a destroyed or replaced %s, whichever order the replacement takes", (type) => {
    for (const actions of [["delete"], ["delete", "create"], ["create", "delete"]]) {
      const verdict = judgePromotionPlan([change(`${type}.x`, ...actions)], REPLICA);
      expect(verdict.violations).toEqual([expect.stringContaining(`${type}.x: stateful resource would be`)]);
    }
  });

  it("refuses a plan that re-creates the replica (it would not be the promoted database)", () => {
    expect(judgePromotionPlan([change(REPLICA, "create")], REPLICA).violations).toEqual([expect.stringContaining("promoted replica would be re-created")]);
    expect(judgePromotionPlan([change(REPLICA, "delete", "create")], REPLICA).violations).toContainEqual(expect.stringContaining("promoted replica would be replaced"));
  });

  it("counts a replacement once, as a replacement", () => {
    expect(judgePromotionPlan([change("aws_lb_listener.l", "create", "delete")], REPLICA).counts).toEqual({ create: 0, update: 0, delete: 0, replace: 1 });
  });
});

/** @odoo-module **/
// 催交 from the board: a manager on a phone reminds someone who has not written today's report.

import { registerTours } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { urge: "Urge", missing: "Not Written", reminded: "Reminded" },
    zh_CN: { urge: "催交", missing: "未填写", reminded: "已催交" },
};

const TOURS = {
    manager_urges: (w) => [
        {
            content: "the rep has not written today's report",
            trigger: `.o_kanban_record:contains('T_Rep_Shanghai'):contains('${w.missing}')`,
        },
        {
            content: "remind them now",
            trigger: `.o_kanban_record:contains('T_Rep_Shanghai') button[name=action_urge]:contains('${w.urge}')`,
            run: "click",
        },
        {
            content: "the board says who was reminded",
            trigger: `.o_notification:contains('${w.reminded}'):contains('T_Rep_Shanghai')`,
        },
    ],
};

registerTours(TOURS, WORDS, "/odoo/action-sales_team_org.sales_daily_report_status_action");

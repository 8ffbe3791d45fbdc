/** @odoo-module **/
// 催交 from the board: a manager on a phone reminds someone who has not written today's report.

import { registry } from "@web/core/registry";

const WORDS = {
    en_US: { urge: "Urge", missing: "Not Written", reminded: "Reminded" },
    zh_CN: { urge: "催交", missing: "未填写", reminded: "已催交" },
};

for (const [lang, w] of Object.entries(WORDS)) {
    registry.category("web_tour.tours").add(`sales_team_org_manager_urges_${lang}`, {
        url: "/odoo/action-sales_team_org.sales_daily_report_status_action",
        steps: () => [
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
    });
}

/** @odoo-module **/
// A manager at a desk exports a month of their group's daily reports from the menu, with no
// selection: the assistant opens on this month (checked by the test); they pick a unit and export.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const WORDS = {
    en_US: { title: "Export to Excel", export: "Export" },
    zh_CN: { title: "导出到 Excel", export: "导出" },
};
const UNIT = "T Shanghai Phone";

for (const [lang, words] of Object.entries(WORDS)) {
    registry.category("web_tour.tours").add(`sales_team_org_manager_exports_month_${lang}`, {
        steps: () => [
            stepUtils.showAppsMenuItem(),
            { content: "open CRM", trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']", run: "click" },
            {
                content: "open Daily Reports",
                trigger: ".o_menu_sections button[data-menu-xmlid='sales_team_org.menu_sales_daily_root']",
                run: "click",
            },
            {
                content: "open the export",
                trigger: ".dropdown-item[data-menu-xmlid='sales_team_org.menu_sales_daily_report_export']",
                run: "click",
            },
            { content: "a dialog, not a page", trigger: `.modal .modal-title:contains(${words.title})` },
            { content: "no selection to show", trigger: ".modal:not(:has(.o_field_widget[name=report_ids]))" },
            {
                content: "choose the unit",
                trigger: ".modal .o_field_widget[name=team_id] input",
                run: `edit ${UNIT}`,
            },
            { trigger: `.o-autocomplete--dropdown-item a:contains(${UNIT})`, run: "click" },
            { trigger: `.modal .o_field_widget[name=team_id] input:value(${UNIT})` },
            {
                content: "export",
                trigger: `.modal-footer button[name=action_export]:contains(${words.export})`,
                run: "click",
            },
            {
                // the buttons come back once the file is asked for; the dialog stays for another export
                content: "close the assistant",
                trigger: ".modal-footer button.btn-secondary:enabled",
                run: "click",
            },
            { trigger: "body:not(:has(.modal))" },
        ],
    });
}

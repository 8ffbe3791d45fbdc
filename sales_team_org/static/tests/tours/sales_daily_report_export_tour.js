/** @odoo-module **/
// A manager at a desk exports a month of their group's daily reports from the menu, with no
// selection: the assistant opens on this month (checked by the test); they pick a unit and export.

import { desktopMenu, registerTours } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { title: "Export to Excel", export: "Export" },
    zh_CN: { title: "导出到 Excel", export: "导出" },
};
const UNIT = "T Shanghai Phone";

const TOURS = {
    manager_exports_month: (words) => [
        ...desktopMenu("sales_team_org.menu_sales_daily_root", "sales_team_org.menu_sales_daily_report_export"),
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
};

registerTours(TOURS, WORDS);

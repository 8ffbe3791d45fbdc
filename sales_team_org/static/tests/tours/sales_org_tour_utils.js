/** @odoo-module **/
// Steps every tour of the add-on takes: reaching a CRM menu on a phone or a desk, reading a
// report's state, selecting a list row; and registering a set of tours once per language.

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** Phone: the app sidebar, then a menu of the CRM app. */
export function phoneMenu(menuXmlid) {
    return [
        { content: "open the app menu", trigger: ".o_main_navbar .o_menu_toggle", run: "click" },
        {
            content: "show all apps",
            trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary",
            run: "click",
        },
        {
            content: "open CRM",
            trigger: ".o_app_menu_sidebar li.o_app[data-menu-xmlid='crm.crm_menu_root']",
            run: "click",
        },
        { trigger: ".o_action_manager .o_view_controller" },
        { content: "open the app menu", trigger: ".o_main_navbar .o_menu_toggle", run: "click" },
        {
            content: "open the menu",
            trigger: `.o_app_menu_sidebar li[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/** Phone: the daily reports from the menu, then New, which opens today's report. */
export function phoneTodaysReport() {
    return [
        ...phoneMenu("sales_team_org.menu_sales_daily_reports"),
        {
            content: "today's report",
            // the daily reports, not the pipeline the menu was opened from
            trigger: ".o_action_manager:has(.o_sales_daily_report_kanban) .o_control_panel button.o-kanban-button-new",
            run: "click",
        },
    ];
}

/** Desktop: the apps menu, CRM, then a menu under one of its sections. */
export function desktopMenu(sectionXmlid, menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        { content: "open CRM", trigger: ".o_app[data-menu-xmlid='crm.crm_menu_root']", run: "click" },
        {
            content: "open the section",
            trigger: `.o_menu_sections button[data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content: "open the menu",
            trigger: `.dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/** The form's status bar shows this state. */
export function statusIs(label) {
    return {
        content: `the report is ${label}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains('${label}')`,
    };
}

/** Tick the row of a list that names this person. */
export function selectRow(name) {
    return {
        content: `select the report of ${name}`,
        trigger: `.o_data_row:contains('${name}') .o_list_record_selector input`,
        run: "click",
    };
}

/**
 * Register each tour of `tours` (name → steps(words)) once per language of `words`, as
 * `sales_team_org_<name>_<lang>`: the steps are the same, only the words on screen differ.
 */
export function registerTours(tours, words, url = "/odoo") {
    for (const [lang, langWords] of Object.entries(words)) {
        for (const [name, steps] of Object.entries(tours)) {
            registry.category("web_tour.tours").add(`sales_team_org_${name}_${lang}`, {
                url,
                steps: () => steps(langWords),
            });
        }
    }
}

/** @odoo-module **/
// The director reads the orders by sales region from CRM's reporting, then narrows them to one
// region. Registered once per language; only the words differ.

import { desktopMenu, registerTours } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { untaxedTotal: "Untaxed Total" },
    zh_CN: { untaxedTotal: "未税总计" },
};

const EAST = "T East Region";
const NORTH = "T North Region";

function directorSalesByRegion(w) {
    return [
        ...desktopMenu("crm.crm_menu_report", "sales_team_org.menu_sales_org_sale_report"),
        {
            content: "the orders' untaxed total",
            trigger: `.o_pivot .o_pivot_measure_row:contains('${w.untaxedTotal}')`,
        },
        {
            content: "a row per region: East",
            trigger: `.o_pivot tr:has(th:contains('${EAST}')) td:contains('300.00')`,
        },
        {
            content: "a row per region: North",
            trigger: `.o_pivot tr:has(th:contains('${NORTH}')) td:contains('500.00')`,
        },
        { content: "search a region", trigger: ".o_searchview_input", run: `edit ${NORTH}` },
        {
            content: "the text is offered as a region first",
            trigger: `.o_searchview_autocomplete li:first-child:contains('${NORTH}')`,
            run: "click",
        },
        { content: "the region's facet", trigger: `.o_searchview_facet:contains('${NORTH}')` },
        {
            content: "North alone",
            trigger: `.o_pivot:not(:has(th:contains('${EAST}'))) tr:has(th:contains('${NORTH}')) td:contains('500.00')`,
        },
        { content: "the order lines", trigger: ".o_switch_view.o_list", run: "click" },
        {
            content: "each with its region",
            trigger: `.o_list_view .o_data_row td[name=sales_region_id]:contains('${NORTH}')`,
        },
    ];
}

registerTours({ director_sales_by_region: directorSalesByRegion }, WORDS);

/** @odoo-module **/
// The rep opens last month's confirmed settlement, disputes its line (why, the difference
// claimed) and submits, at the desk and on the phone; the supervisor finds the dispute under
// To Decide, grants an adjustment and approves it.

import {
    desktopMenu,
    phoneMenu,
    registerTours,
    statusIs,
} from "@sales_team_org/../tests/tours/sales_org_tour_utils";

// the tests run the 简体中文 variant (the English words are checked against zh_CN.po)
const WORDS = {
    en_US: {
        confirmed: "Confirmed",
        submitted: "Submitted",
        approved: "Approved",
        ownSale: "Own Sale",
        toDecide: "To Decide",
    },
    zh_CN: {
        confirmed: "已确认",
        submitted: "已提交",
        approved: "已批准",
        ownSale: "本人销售",
        toDecide: "待决定",
    },
};

const COMMISSIONS = "sales_team_org.menu_sales_commission_root";

/** On the dispute form opened from the line: why, how much, submit. */
function writeAndSubmit(w, submitTrigger) {
    return [
        {
            content: "the line questioned is filled in",
            trigger: `.o_form_view .o_field_widget[name=line_id] input:value(${w.ownSale})`,
        },
        {
            content: "why",
            trigger: ".o_form_view .o_field_widget[name=description] textarea",
            run: "edit The order was 1,500, not 1,000",
        },
        {
            content: "the difference claimed",
            trigger: ".o_form_view .o_field_widget[name=amount_claimed] input",
            run: "edit 5",
        },
        { content: "submit", trigger: submitTrigger, run: "click" },
        statusIs(w.submitted),
    ];
}

const TOURS = {
    commission_dispute: (w) => [
        ...desktopMenu(COMMISSIONS, "sales_team_org.menu_sales_commission_settlements"),
        {
            content: "last month's settlement, confirmed",
            trigger: `.o_list_view .o_data_row:contains('${w.confirmed}') td[name=amount_total]`,
            run: "click",
        },
        statusIs(w.confirmed),
        {
            content: "question the line of the order",
            trigger: `.o_field_widget[name=line_ids] .o_data_row:contains('${w.ownSale}') button[name=action_dispute]`,
            run: "click",
        },
        ...writeAndSubmit(w, ".o_form_view .o_statusbar_buttons button[name=action_submit]"),
    ],
    commission_dispute_phone: (w) => [
        ...phoneMenu("sales_team_org.menu_sales_commission_settlements"),
        {
            content: "last month's settlement, confirmed",
            trigger: `.o_kanban_view .o_kanban_record:contains('${w.confirmed}')`,
            run: "click",
        },
        statusIs(w.confirmed),
        {
            content: "question the line of the order",
            trigger: `.o_field_widget[name=line_ids] .o_kanban_record:contains('${w.ownSale}') button[name=action_dispute]`,
            run: "click",
        },
        ...writeAndSubmit(w, ".o_form_sheet div[name=phone_buttons] button[name=action_submit]:visible"),
    ],
    commission_dispute_decide: (w) => [
        ...desktopMenu(COMMISSIONS, "sales_team_org.menu_sales_commission_disputes"),
        {
            content: "what waits for my decision",
            trigger: `.o_searchview_facet:contains('${w.toDecide}')`,
        },
        {
            content: "the rep's dispute",
            trigger: ".o_list_view .o_data_row:contains('T_Rep_Shanghai') td[name=amount_claimed]",
            run: "click",
        },
        statusIs(w.submitted),
        {
            content: "the reason given",
            trigger: ".o_field_widget[name=description]:contains('The order was 1,500')",
        },
        {
            content: "the adjustment granted",
            trigger: ".o_form_view .o_field_widget[name=amount_granted] input",
            run: "edit 4",
        },
        {
            content: "approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        statusIs(w.approved),
        {
            content: "the adjustment line is shown",
            trigger: ".o_form_view .o_field_widget[name=adjustment_line_id]",
        },
    ],
};

registerTours(TOURS, WORDS);

/** @odoo-module **/
// The regional director breaks the region's quarter down to its units and submits the regional
// plan; the sales director approves the plan on the phone.

import { registry } from "@web/core/registry";

function stateIs(value) {
    return {
        content: `the document is ${value}`,
        trigger: `.o_statusbar_status:has(button.o_arrow_button_current[data-value='${value}'])`,
    };
}

registry.category("web_tour.tours").add("sales_team_org_target_breakdown", {
    steps: () => [
        stateIs("agreed"),
        {
            content: "break the quarter down",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_breakdown]",
            run: "click",
        },
        {
            content: "over the units below",
            trigger: ".modal .o_field_widget[name=split] input[data-value=unit]",
            run: "click",
        },
        {
            content: "evenly",
            trigger: ".modal .o_field_widget[name=method] input[data-value=even]",
            run: "click",
        },
        {
            content: "each unit gets its share",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('T East Second'):contains('150,000.00')",
        },
        { content: "apply", trigger: ".modal footer button[name=action_apply]", run: "click" },
        { content: "the dialog closes", trigger: "body:not(:has(.modal))" },
        {
            content: "the breakdown shows on the quarter",
            trigger: ".o_field_widget[name=child_ids] .o_data_row:contains('T East Second')",
        },
    ],
});

registry.category("web_tour.tours").add("sales_team_org_regional_plan_submit", {
    steps: () => [
        stateIs("draft"),
        {
            content: "the region's quarter target shows on the plan",
            trigger: ".o_field_widget[name=target_amount]:contains('300,000.00')",
        },
        {
            content: "submit the plan",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_submit]",
            run: "click",
        },
        stateIs("submitted"),
    ],
});

registry.category("web_tour.tours").add("sales_team_org_regional_plan_approve", {
    steps: () => [
        {
            content: "the plan waiting for me",
            trigger: ".o_sales_regional_plan_kanban .o_kanban_record:contains('华东')",
            run: "click",
        },
        stateIs("submitted"),
        {
            content: "approve it",
            trigger: ".o_form_sheet div[name=phone_buttons] button[name=action_approve]:visible",
            run: "click",
        },
        stateIs("approved"),
    ],
});

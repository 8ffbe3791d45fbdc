/** @odoo-module **/
// On a phone, a new order clerk starts the workshop step of their training and marks it done;
// then the business manager signs it off as passed, with a comment.

import { registry } from "@web/core/registry";

function stateIs(value) {
    return {
        content: `the step is ${value}`,
        // on a phone the status bar may fold into a menu: the current value is still in it
        trigger: `.o_statusbar_status:has(button.o_arrow_button_current[data-value='${value}'])`,
    };
}

registry.category("web_tour.tours").add("sales_team_org_training_step_done", {
    steps: () => [
        {
            content: "the workshop step, among my training steps",
            trigger: ".o_sales_training_step_kanban .o_kanban_record:contains('生产车间')",
            run: "click",
        },
        stateIs("todo"),
        { content: "start it", trigger: ".o_form_sheet button[name=action_start]:visible", run: "click" },
        stateIs("in_progress"),
        { content: "done", trigger: ".o_form_sheet button[name=action_mark_done]:visible", run: "click" },
        stateIs("done"),
    ],
});

registry.category("web_tour.tours").add("sales_team_org_training_step_sign_off", {
    steps: () => [
        {
            content: "the clerk's workshop step, which I lead",
            trigger: ".o_sales_training_step_kanban .o_kanban_record:contains('生产车间')",
            run: "click",
        },
        stateIs("done"),
        { content: "sign it off", trigger: ".o_form_sheet button.o_sales_training_sign_off:visible", run: "click" },
        {
            content: "passed is proposed",
            trigger: ".modal .o_field_widget[name=result] input[data-value=passed]:checked",
        },
        {
            content: "a comment",
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit 产品知识掌握扎实",
        },
        { content: "confirm", trigger: ".modal footer button[name=action_sign_off]", run: "click" },
        { content: "the dialog closes", trigger: "body:not(:has(.modal))" },
        stateIs("passed"),
    ],
});

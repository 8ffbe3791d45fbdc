/** @odoo-module **/
// On a phone, a rep adds a visit to today's report, checks in where they stand (a fixed
// position in Shanghai in place of the browser's), takes a photo, keeps the visit and submits.
// Registered once per language.

import { inputFiles } from "@web/../tests/utils";
import { phoneTodaysReport, registerTours, statusIs } from "@sales_team_org/../tests/tours/sales_org_tour_utils";

const WORDS = {
    en_US: { submitted: "Submitted", checkedIn: "Checked in ±12 m", checkIn: "Check In", map: "Show on Map" },
    zh_CN: { submitted: "已提交", checkedIn: "已签到 ±12 米", checkIn: "签到", map: "在地图上查看" },
};

// a 1x1 PNG
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAC4jAAAuIwF4pT92AAAAD0lEQVQIHQEEAPv/AIdaewLIAV0IjhGPAAAAAElFTkSuQmCC";

const TOURS = {
    rep_checks_in_on_a_visit: (w) => [
        ...phoneTodaysReport(),
        {
            content: "add a call or visit",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "a visit",
            trigger: ".modal .o_field_widget[name=channel] input[data-value=visit]",
            run: "click",
        },
        {
            content: "what was discussed",
            trigger: ".modal .o_field_widget[name=subject] input",
            run: "edit Visit to the plant",
        },
        {
            content: "the phone stands in Shanghai",
            trigger: `.modal .o_sales_check_in_button:contains('${w.checkIn}')`,
            run() {
                navigator.geolocation.getCurrentPosition = (success) =>
                    success({ coords: { latitude: 31.2304, longitude: 121.4737, accuracy: 12 } });
            },
        },
        { content: "check in", trigger: ".modal .o_sales_check_in_button", run: "click" },
        {
            content: "checked in, with a map",
            trigger:
                `.modal .o_sales_check_in_status:contains('${w.checkedIn}')` +
                `:has(~ a.o_sales_check_in_map[href*='position=121.4737000,31.2304000']:contains('${w.map}'))`,
        },
        {
            content: "take a photo",
            trigger: ".modal .o_field_widget[name=photo_ids] .o_attach",
            async run() {
                const bytes = Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0));
                const photo = new File([bytes], "shop.png", { type: "image/png" });
                await inputFiles(".modal .o_field_widget[name=photo_ids] input.o_input_file", [photo]);
            },
        },
        {
            content: "the photo is on the visit",
            trigger: ".modal .o_field_widget[name=photo_ids] .o_attachment[title='shop.png']",
        },
        { content: "keep the visit", trigger: ".modal .o_form_button_save", run: "click" },
        {
            content: "the visit's card shows its photo and check-in",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=line_ids] .o_kanban_record:contains('Visit to the plant')" +
                ":has(.o_sales_line_photos:contains('1')):has(.o_sales_line_checked_in)",
        },
        {
            content: "submit",
            trigger: ".o_form_sheet button[name=action_submit]:visible",
            run: "click",
        },
        statusIs(w.submitted),
    ],
};

registerTours(TOURS, WORDS);

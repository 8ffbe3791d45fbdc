/** @odoo-module **/
// Check In on a visit: the phone's browser gives the position, the line keeps it and the
// server dates it when the line is saved (sales.daily.report.line, check_in_*).

import { Component, status, useState } from "@odoo/owl";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const POSITION_OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 };

export class SalesCheckIn extends Component {
    static template = "sales_team_org.SalesCheckIn";
    static props = { ...standardWidgetProps };

    setup() {
        this.notification = useService("notification");
        this.state = useState({ locating: false });
    }

    get data() {
        return this.props.record.data;
    }

    get checkedIn() {
        // (0, 0) is the empty position of a line without a check-in, as on the server
        return Boolean(this.data.check_in_latitude || this.data.check_in_longitude);
    }

    /** On visits, and on any line already checked in (a list shows the widget's column on every row). */
    get visible() {
        return this.data.channel === "visit" || this.checkedIn;
    }

    get statusText() {
        return _t("Checked in ±%(accuracy)s m", { accuracy: Math.round(this.data.check_in_accuracy || 0) });
    }

    /** The server's time of the check-in, once the line is saved with it (not beside a new position). */
    get checkInTime() {
        return !this.props.record.dirty && this.data.check_in_date ? formatDateTime(this.data.check_in_date) : "";
    }

    onCheckIn() {
        if (!window.isSecureContext || !navigator.geolocation) {
            this.warn(
                _t(
                    "This browser cannot tell your position here: location needs a secure (https) connection and a browser that offers it."
                )
            );
            return;
        }
        this.state.locating = true;
        navigator.geolocation.getCurrentPosition(
            (position) => this.onPosition(position),
            (error) => this.onPositionError(error),
            POSITION_OPTIONS
        );
    }

    async onPosition({ coords }) {
        if (status(this) === "destroyed") {
            return; // the dialog was closed while the phone was looking for its position
        }
        this.state.locating = false;
        try {
            await this.props.record.update({
                check_in_latitude: coords.latitude,
                check_in_longitude: coords.longitude,
                check_in_accuracy: coords.accuracy || 0,
            });
        } catch {
            this.warn(_t("Your position could not be found: check in again."));
        }
    }

    onPositionError(error) {
        if (status(this) === "destroyed") {
            return;
        }
        this.state.locating = false;
        // GeolocationPositionError codes
        const messages = {
            1: _t(
                "Location is not allowed: allow this site to use your location in the browser's settings, then check in again."
            ),
            2: _t(
                "Your position is unavailable: turn on location services or move to where the phone finds a signal, then check in again."
            ),
            3: _t("Finding your position took too long: check in again."),
        };
        this.warn(messages[error.code] || _t("Your position could not be found: check in again."));
    }

    warn(message) {
        this.notification.add(message, { title: _t("Check In"), type: "warning" });
    }
}

export const salesCheckIn = {
    component: SalesCheckIn,
    fieldDependencies: [
        { name: "channel", type: "selection" },
        { name: "check_in_latitude", type: "float" },
        { name: "check_in_longitude", type: "float" },
        { name: "check_in_accuracy", type: "float" },
        { name: "check_in_date", type: "datetime" },
        { name: "check_in_map_url", type: "char" },
    ],
    listViewWidth: [170, 300],
};

registry.category("view_widgets").add("sales_daily_report_check_in", salesCheckIn);

import logging
from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class SalesOrgRhythm(models.AbstractModel):
    """The rhythm every scheduled action of the add-on shares: the company's hour, its working
    days, and e-mails sent in one batch. The crons run hourly and act once a company's local
    hour has come, on its working days."""

    _name = "sales.org.rhythm"
    _description = "Sales Organisation Rhythm"

    @api.model
    def _rhythm_hour(self, key, default):
        try:
            return int(self.env["ir.config_parameter"].sudo().get_param(key, default))
        except ValueError:
            return default

    @api.model
    def _companies_due(self, hour):
        """(company, local date) for each company whose local time is past `hour` on a working day."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([]):
            calendar = company.resource_calendar_id
            tz = company._sales_org_tz()
            local_now = pytz.utc.localize(now).astimezone(tz)
            if local_now.hour < hour:
                continue
            day = local_now.date()
            if calendar and not self._is_working_day(calendar, tz, day):
                continue
            yield company, day

    @api.model
    def _each_month_ended(self, hour_key, default_hour, done_prefix, work):
        """Call `work(company, last day of the month just ended)` for each company whose hour has
        come on a working day, once per month: the last day done is kept in the system parameter
        `done_prefix`.<company id>. A company whose work fails is logged and tried again at the
        next run, the others are done."""
        Param = self.env["ir.config_parameter"].sudo()
        for company, day in self._companies_due(self._rhythm_hour(hour_key, default_hour)):
            last_day = day.replace(day=1) - timedelta(days=1)
            key = f"{done_prefix}.{company.id}"
            if (Param.get_param(key) or "") >= fields.Date.to_string(last_day):
                continue
            try:
                with self.env.cr.savepoint():
                    work(company, last_day)
            except Exception:
                _logger.exception("%s: the month ending %s of %s failed", done_prefix, last_day, company.name)
                continue
            Param.set_param(key, fields.Date.to_string(last_day))

    @api.model
    def _is_working_day(self, calendar, tz, day):
        start = tz.localize(datetime.combine(day, time.min))
        intervals = calendar._work_intervals_batch(start, start + timedelta(days=1))[False]
        return bool(list(intervals))

    @api.model
    def _send_mails(self, mails):
        """One e-mail per (partner, subject, body), created in one batch."""
        if not mails:
            return
        self.env["mail.mail"].sudo().create([{
            "subject": subject,
            "body_html": body if isinstance(body, Markup) else Markup("<p>%s</p>") % escape(body),
            "email_to": partner.email_formatted,
            "auto_delete": True,
        } for partner, subject, body in mails])

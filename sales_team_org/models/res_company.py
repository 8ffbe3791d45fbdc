from datetime import datetime, time, timedelta

import pytz

from babel.dates import format_skeleton

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, date_utils
from odoo.tools.misc import babel_locale_parse, get_lang

# how a calendar period is written in the reader's language: 2026年第4季度, Q4 2026
PERIOD_SKELETONS = {"year": "y", "quarter": "yQQQ", "month": "yMMM"}


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_org_default_team_id = fields.Many2one(
        "crm.team", string="Default Sales Unit", ondelete="set null",
        help="Receives the leads without a salesperson whose province belongs to no sales region.",
    )
    sales_org_approval_hours = fields.Integer(
        string="Approval Reminder After (working hours)", default=8,
        help="A request waiting this many working hours for its approver reminds them; as long again "
             "later, it is handed one level up. 0: never.",
    )

    @api.constrains("sales_org_approval_hours")
    def _check_sales_org_approval_hours(self):
        if any(company.sales_org_approval_hours < 0 for company in self):
            raise ValidationError(self.env._("A number of working hours cannot be below zero."))

    @api.constrains("sales_org_default_team_id")
    def _check_sales_org_default_team_id(self):
        for company in self:
            team = company.sales_org_default_team_id
            if team.company_id and team.company_id != company:
                raise ValidationError(self.env._(
                    "%(unit)s belongs to %(other)s: the default unit of %(company)s is one of its own units.",
                    unit=team.name, other=team.company_id.name, company=company.name,
                ))

    # ------------------------------------------------------------------
    # The company-local day: every "today", day, week and month of the add-on
    # ------------------------------------------------------------------

    def _sales_org_tz(self):
        """The company's time zone: its working calendar's, else its address's, else UTC."""
        self.ensure_one()
        return pytz.timezone(self.resource_calendar_id.tz or self.partner_id.tz or "UTC")

    def _sales_org_today(self):
        """The company's date now, whatever the database's or the user's time zone."""
        self.ensure_one()
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._sales_org_tz()).date()

    def _sales_org_day_bounds(self, day, days=1):
        """The company-local `day` (and the `days - 1` after it) as naive UTC datetimes [start, end)."""
        self.ensure_one()
        tz = self._sales_org_tz()
        start = tz.localize(datetime.combine(day, time.min))
        end = tz.localize(datetime.combine(day + timedelta(days=days), time.min))
        return (start.astimezone(pytz.utc).replace(tzinfo=None), end.astimezone(pytz.utc).replace(tzinfo=None))

    @api.model
    def _sales_org_period(self, period_type, day):
        """The calendar `period_type` ('month', 'quarter' or 'year') holding the date `day`, as
        (first day, last day): a company-local date is in the period of its own date."""
        return date_utils.start_of(day, period_type), date_utils.end_of(day, period_type)

    @api.model
    def _sales_org_period_name(self, period_type, day):
        """The calendar `period_type` holding `day` as its reader writes it: 2026年第4季度, Q4 2026."""
        if not period_type or not day:
            return ""
        return format_skeleton(PERIOD_SKELETONS[period_type], day, locale=babel_locale_parse(get_lang(self.env).code))

    def _sql_sales_org_tz(self):
        """SQL of (company id, time zone name, local date today, working calendar id) of every
        company, the same time zone as `_sales_org_tz`: join it to turn UTC timestamps into
        company-local dates."""
        # "now" from the server (not the database's transaction time), as _sales_org_today
        return SQL("""
            SELECT c.id, COALESCE(NULLIF(cal.tz, ''), NULLIF(p.tz, ''), 'UTC') AS tz,
                   (%s::timestamp AT TIME ZONE 'UTC'
                       AT TIME ZONE COALESCE(NULLIF(cal.tz, ''), NULLIF(p.tz, ''), 'UTC'))::date AS today,
                   c.resource_calendar_id AS calendar_id
              FROM res_company c
              JOIN res_partner p ON p.id = c.partner_id
         LEFT JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
        """, fields.Datetime.now())

    def _sql_sales_org_working_day(self, user, day, tz, company, calendar=None):
        """SQL condition: `day`, a company-local date, is a working day of `user`: their working
        calendar (their resource's, else their company's) has hours that weekday, and no public
        holiday nor leave of theirs covers its midday (a half day off leaves a working day).
        `user`, `day`, `tz` (a time zone name) and `company` are SQL expressions; `calendar`, that
        of the person's calendar (their first resource's with a calendar, else their company's)
        when the caller has joined it, as a view over many people does: looked up otherwise."""
        if calendar is None:
            calendar = SQL("""
                COALESCE((SELECT rr.calendar_id FROM resource_resource rr
                           WHERE rr.user_id = %(user)s AND rr.calendar_id IS NOT NULL ORDER BY rr.id LIMIT 1),
                         (SELECT c.resource_calendar_id FROM res_company c WHERE c.id = %(company)s))
            """, user=user, company=company)
        midday = SQL("((%s)::timestamp + interval '12 hours') AT TIME ZONE %s AT TIME ZONE 'UTC'", day, tz)
        # The person's leaves and the public holidays are two tests, each of which PostgreSQL can
        # join by hashing (the person, the day) rather than reading every leave for every person
        # and day; time_type is compared as a column, for the planner to count the leaves right.
        return SQL("""
            (EXISTS (SELECT 1 FROM resource_calendar_attendance att
                      WHERE att.calendar_id = %(calendar)s AND att.display_type IS NULL
                        AND att.dayofweek = (EXTRACT(ISODOW FROM %(day)s)::int - 1)::varchar
                        AND (att.date_from IS NULL OR att.date_from <= %(day)s)
                        AND (att.date_to IS NULL OR att.date_to >= %(day)s))
             AND NOT EXISTS (SELECT 1 FROM resource_calendar_leaves lv
                               JOIN resource_resource lr ON lr.id = lv.resource_id
                              WHERE lr.user_id = %(user)s
                                AND lv.date_from < %(midday)s AND lv.date_to > %(midday)s
                                AND (lv.time_type = 'leave' OR lv.time_type IS NULL))
             AND NOT EXISTS (SELECT 1 FROM resource_calendar_leaves lv
                              WHERE lv.resource_id IS NULL
                                AND lv.date_from < %(midday)s AND lv.date_to > %(midday)s
                                AND (lv.time_type = 'leave' OR lv.time_type IS NULL)
                                AND (lv.company_id IS NULL OR lv.company_id = %(company)s)
                                AND (lv.calendar_id IS NULL OR lv.calendar_id = %(calendar)s)))
        """, calendar=calendar, day=day, midday=midday, user=user, company=company)

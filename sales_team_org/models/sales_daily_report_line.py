import math
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .res_partner import CLASSIFICATIONS
from .sales_org_guard import check_system_fields

CHECK_IN_POSITION = frozenset({"check_in_latitude", "check_in_longitude", "check_in_accuracy"})
MAX_ACCURACY = 100_000  # metres: beyond, a browser's position tells nothing


class SalesDailyReportLine(models.Model):
    """One call or visit of the day (a row of the 电话销售日报表)."""

    _name = "sales.daily.report.line"
    _inherit = ["sales.org.photo.mixin"]
    _description = "Call or Visit of a Daily Report"
    _order = "report_id, sequence, id"
    _check_company_auto = True
    # The report's author, day and company follow the report; the done activity a line was
    # filled from and the scheduling of its next step are the workflow's; the time of a check-in
    # is the server's, stamped whenever a position is written.
    _sales_org_system_fields = frozenset({
        "user_id", "date", "company_id", "message_id", "activity_scheduled", "check_in_date",
    })

    report_id = fields.Many2one("sales.daily.report", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(related="report_id.user_id", store=True, index=True)
    date = fields.Date(related="report_id.date", store=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    lead_id = fields.Many2one("crm.lead", string="Lead/Opportunity", index="btree_not_null", check_company=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null", check_company=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
    )
    contact_name = fields.Char(string="Contact Person")
    channel = fields.Selection(
        [("phone", "Phone"), ("visit", "Visit"), ("wechat", "WeChat"), ("email", "E-mail"), ("other", "Other")],
        string="Contact Method", default="phone", required=True,
    )
    duration = fields.Float(help="In hours.")
    subject = fields.Char(string="Discussed")
    result = fields.Text()
    next_step = fields.Char()
    next_step_date = fields.Date()
    satisfaction = fields.Selection(
        [("1", "Very Dissatisfied"), ("2", "Dissatisfied"), ("3", "Neutral"), ("4", "Satisfied"),
         ("5", "Very Satisfied")],
        string="Customer Satisfaction", help="How satisfied the customer was with this call or visit.",
    )
    classification = fields.Selection(
        CLASSIFICATIONS, compute="_compute_classification", inverse="_inverse_classification",
        help="Set by the manager on the customer, with its history.",
    )
    message_id = fields.Many2one(
        "mail.message", readonly=True, index="btree_not_null", ondelete="set null",
        help="The done activity this line was filled from.",
    )
    activity_scheduled = fields.Boolean(readonly=True, copy=False)
    # Visit: photos and a check-in from the phone's browser
    photo_ids = fields.Many2many(
        relation="sales_daily_report_line_photo_rel", column1="line_id", column2="attachment_id",
        help="Photos taken on the visit, readable by whoever may read the line.",
    )
    check_in_latitude = fields.Float(string="Check-in Latitude", digits=(10, 7), copy=False, aggregator=None)
    check_in_longitude = fields.Float(string="Check-in Longitude", digits=(10, 7), copy=False, aggregator=None)
    check_in_accuracy = fields.Float(
        string="Check-in Accuracy", digits=(10, 1), copy=False, aggregator=None,
        help="In metres, as the phone's browser measured it.",
    )
    check_in_date = fields.Datetime(
        string="Checked In On", readonly=True, copy=False, help="Set by the server when the position is saved.",
    )
    check_in_map_url = fields.Char(string="Check-in Map", compute="_compute_check_in_map_url")

    _sql_constraints = [
        ("message_uniq", "unique(message_id)", "A done activity fills one line only."),
    ]

    @api.depends("lead_id")
    def _compute_partner_id(self):
        for line in self:
            if line.lead_id and not line.partner_id:
                line.partner_id = line.lead_id.partner_id

    @api.depends("partner_id.sales_classification")
    @api.depends_context("company")
    def _compute_classification(self):
        for line in self:
            line.classification = line.partner_id.commercial_partner_id.sales_classification

    def _inverse_classification(self):
        for line in self.filtered("partner_id"):
            partner = line.partner_id.commercial_partner_id
            if partner.sales_classification != line.classification:
                partner._set_sales_classification(line.classification, reason=line.result or line.subject)

    @api.depends("check_in_latitude", "check_in_longitude", "partner_id")
    def _compute_check_in_map_url(self):
        for line in self:
            if (line.check_in_latitude, line.check_in_longitude) == (0, 0):
                line.check_in_map_url = False
                continue
            # Amap's URI API, usable in China, told the position is WGS-84 (what browsers give)
            line.check_in_map_url = "https://uri.amap.com/marker?" + urlencode({
                "position": f"{line.check_in_longitude:.7f},{line.check_in_latitude:.7f}",
                "coordinate": "wgs84",
                # the marker's label: the customer's name stays with us, not on the map's server
                "name": self.env._("Check-in"),
            }, safe=",")

    @api.constrains("duration")
    def _check_duration(self):
        for line in self:
            if not 0 <= line.duration <= 24:
                raise ValidationError(self.env._(
                    "A call or visit lasts between 0 and 24 hours, not %(duration)s.", duration=line.duration,
                ))

    @api.constrains("next_step_date", "report_id")
    def _check_next_step_date(self):
        for line in self:
            if line.next_step_date and line.next_step_date < line.report_id.date:
                raise ValidationError(self.env._(
                    "The next step of a call comes after it: %(next_date)s is before the report's day, %(date)s.",
                    next_date=line.next_step_date, date=line.report_id.date,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        check_system_fields(self, vals_list)
        if not self.env.su:
            reports = self.env["sales.daily.report"].browse({vals["report_id"] for vals in vals_list if vals.get("report_id")})
            reports._check_user_write({"line_ids"})
        # the report's author, day and company, even when given empty: never the caller's
        related = {"user_id", "date", "company_id"}
        vals_list = [self._stamp_check_in({fname: value for fname, value in vals.items() if fname not in related},
                                          self.browse()) for vals in vals_list]
        lines = super().create(vals_list)
        lines._check_references_readable()
        return lines

    def write(self, vals):
        # a line stays on its report; the classification belongs to the customer (its own rule)
        check_system_fields(self, vals, self._sales_org_system_fields | {"report_id"})
        if not self.env.su and set(vals) - {"classification"}:
            self.report_id._check_user_write({"line_ids"})
        if "photo_ids" in vals:
            old_photos = {line: line.photo_ids for line in self}
        if CHECK_IN_POSITION & vals.keys():
            # the date follows the position as the record will have it, record by record
            groups = {}
            for line in self:
                line_vals = self._stamp_check_in(dict(vals), line)
                groups.setdefault(bool(line_vals.get("check_in_date")), (line_vals, []))[1].append(line.id)
            res = True
            for line_vals, ids in groups.values():
                res = super(SalesDailyReportLine, self.browse(ids)).write(line_vals)
        else:
            res = super().write(vals)
        if {"lead_id", "partner_id"} & vals.keys():
            self._check_references_readable()
        if "photo_ids" in vals:
            # a photo taken off its line is deleted: nobody needs it, nobody else may read it
            removed = self.env["ir.attachment"].union(*(old - line.photo_ids for line, old in old_photos.items()))
            removed.sudo().filtered(lambda photo: photo.res_model == self._name and photo.res_id in self.ids).unlink()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_the_author(self):
        if not self.env.su:
            self.report_id._check_user_write({"line_ids"})

    def action_classify_customer(self):
        """A leader classifies the customer of a call from its report, whatever the report's
        state: the classification is the customer's (its own rule and history), not the report's."""
        self.ensure_one()
        self.check_access("read")
        if not self.partner_id:
            raise UserError(self.env._("This call names no customer to classify."))
        action = self.partner_id.action_set_classification()
        action["context"] = dict(action["context"], default_reason=self.result or self.subject or False,
                                 default_classification=self.classification or "primary")
        return action

    def action_schedule_next_step(self):
        """The reviewer turns the next step into an activity for the report's author."""
        reports = self.report_id
        if not self.env.su and reports - reports._led_by(self.env.user):
            raise AccessError(self.env._("Only a leader above its author schedules the next step of a report."))
        for line in self.filtered(lambda line: line.next_step and not line.activity_scheduled):
            record = line.lead_id or line.partner_id
            if not record:
                continue
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=line.next_step_date or line.report_id.date,
                summary=line.next_step,
                user_id=line.user_id.id,
            )
            line.sudo().activity_scheduled = True
        return True

    # 一键记录: what the customer said on this call or visit, logged in one tap by its author
    def action_log_complaint(self):
        return self._action_log("sales.complaint", self.env._("New Complaint"))

    def action_log_market_info(self):
        return self._action_log("sales.market.info", self.env._("New Market Information"))

    def action_log_collection_call(self):
        return self._action_log("sales.collection.call", self.env._("New Collection Call"))

    def action_log_sample(self):
        return self._action_log("sales.sample", self.env._("New Sample"))

    def action_log_visit(self):
        return self._action_log("sales.visit", self.env._("New Customer Visit"))

    def _action_log(self, model, name):
        """A new record of `model` (a `sales.org.logged.mixin`) filled from this line."""
        self.ensure_one()
        if self.user_id != self.env.user:
            raise AccessError(self.env._("What a customer said is logged from a call or visit of your own daily report."))
        if not self.partner_id:
            raise UserError(self.env._("Name the customer of this call or visit first."))
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [(False, "form")],
            "target": "current",
            "context": self.env[model]._defaults_from_daily_report_line(self),
        }

    @api.model
    def _stamp_check_in(self, vals, line):
        """Validate the position `vals` give `line` (a new line if empty): both coordinates or
        neither, in range, a positive accuracy. The server's clock dates it; no position, no date."""
        if not CHECK_IN_POSITION & vals.keys():
            return vals
        env = self.env
        position = {}
        for fname in CHECK_IN_POSITION:
            value = vals[fname] if fname in vals else (line[fname] if line.check_in_date else False)
            if value is None or value is False:
                value = False
            else:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise ValidationError(env._("%(value)s is not a number.", value=value)) from None
                if not math.isfinite(value):
                    raise ValidationError(env._("%(value)s is not a number.", value=value))
            position[fname] = value
        latitude, longitude = position["check_in_latitude"], position["check_in_longitude"]
        accuracy = position["check_in_accuracy"]
        if (latitude is False) != (longitude is False):
            raise ValidationError(env._("A check-in has both a latitude and a longitude, or neither."))
        if latitude is not False and not -90 <= latitude <= 90:
            raise ValidationError(env._("A latitude lies between -90 and 90 degrees, not %(value)s.", value=latitude))
        if longitude is not False and not -180 <= longitude <= 180:
            raise ValidationError(env._(
                "A longitude lies between -180 and 180 degrees, not %(value)s.", value=longitude,
            ))
        if accuracy is not False and not 0 <= accuracy <= MAX_ACCURACY:
            raise ValidationError(env._("The accuracy of a check-in is a distance in metres, not %(value)s.",
                                        value=accuracy))
        # (0, 0) is how the web client sends the position of a new line without one
        if latitude is False or (latitude, longitude) == (0, 0):
            vals.update(check_in_latitude=False, check_in_longitude=False, check_in_accuracy=False,
                        check_in_date=False)
        else:
            vals.update(position, check_in_date=fields.Datetime.now())
        return vals

    def _photo_document_name(self):
        return self.env._("call or visit")

    def _check_photo_write(self):
        # only the line's author, while the report is theirs
        self.report_id._check_user_write({"line_ids"})

    def _check_references_readable(self):
        """A line names only the leads and customers its writer may read (their names show)."""
        if not self.env.su:
            self.lead_id.check_access("read")
            self.partner_id.check_access("read")


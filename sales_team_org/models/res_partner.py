from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


# 主攻客户 / 次攻客户 / 普通客户
CLASSIFICATIONS = [
    ("primary", "Primary Target"),
    ("secondary", "Secondary Target"),
    ("normal", "Normal"),
]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sales.org.guarded.mixin"]
    # The region follows the province; the classification changes only through Classify.
    _sales_org_system_fields = frozenset({"sales_region_id", "sales_classification", "sales_classification_ids",
                                          "sales_key_account", "sales_key_account_takeover_ids"})

    sales_region_id = fields.Many2one(
        related="state_id.sales_region_id", store=True, index="btree_not_null", string="Sales Region"
    )
    sales_classification = fields.Selection(
        CLASSIFICATIONS, string="Customer Classification", readonly=True, tracking=True, copy=False,
        company_dependent=True,
        help="Set by a manager from the daily reports and the customer's volume; each company classifies "
             "its customers for itself.",
    )
    sales_classification_ids = fields.One2many(
        "sales.customer.classification", "partner_id", string="Classification History", readonly=True
    )

    sales_key_account = fields.Boolean(
        string="Key Account", readonly=True, tracking=True, copy=False, company_dependent=True,
        help="大客户: marked by the sales director of the company, who may then take it over; each company marks its "
             "own.",
    )
    sales_key_account_takeover_ids = fields.One2many(
        "sales.key.account.takeover", "partner_id", string="Takeovers", readonly=True,
    )
    sales_key_account_takeover_id = fields.Many2one(
        "sales.key.account.takeover", string="Current Takeover", compute="_compute_sales_key_account_takeover_id",
    )

    @api.depends("sales_key_account_takeover_ids.date_to")
    @api.depends_context("company")
    def _compute_sales_key_account_takeover_id(self):
        # read by whoever reads the customer, sales rights or not
        takeovers = self.env["sales.key.account.takeover"].sudo().search([
            ("partner_id", "in", self.commercial_partner_id.ids), ("date_to", "=", False),
            ("company_id", "=", self.env.company.id)])
        open_takeovers = {takeover.partner_id.id: takeover for takeover in takeovers}
        for partner in self:
            partner.sales_key_account_takeover_id = open_takeovers.get(partner.commercial_partner_id.id)

    def action_set_key_account(self, key_account=True):
        """Mark (or unmark) these customers as key accounts: the sales director's call."""
        self.env["sales.key.account.takeover"]._check_director()
        partners = self.commercial_partner_id
        if not key_account and partners.sales_key_account_takeover_id:
            raise UserError(self.env._("%(customer)s is taken over by the director: hand it back first.",
                                       customer=partners.sales_key_account_takeover_id[0].partner_id.display_name))
        partners.sudo().write({"sales_key_account": key_account})
        return True

    def action_unset_key_account(self):
        return self.action_set_key_account(key_account=False)

    def _open_key_account_wizard(self, mode):
        self.env["sales.key.account.takeover"]._check_director()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Take Over the Key Account") if mode == "take_over" else self.env._("Hand Back"),
            "res_model": "sales.key.account.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id, "default_mode": mode},
        }

    def action_take_over_key_account(self):
        self.ensure_one()
        return self._open_key_account_wizard("take_over")

    def action_hand_back_key_account(self):
        self.ensure_one()
        return self._open_key_account_wizard("hand_back")

    def action_set_classification(self):
        """Open the classification wizard on this customer."""
        self._check_may_classify()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Classify the Customer"),
            "res_model": "sales.customer.classify",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _set_sales_classification(self, classification, reason=False):
        """Classify these customers (commercial entities) in the current company and keep who,
        when and why."""
        self._check_may_classify()
        partners = self.commercial_partner_id
        self.env["sales.customer.classification"].sudo().create([
            {"partner_id": partner.id, "classification": classification, "reason": reason,
             "previous_classification": partner.sales_classification, "user_id": self.env.uid,
             "company_id": self.env.company.id}
            for partner in partners
        ])
        partners.sudo().write({"sales_classification": classification})

    def _check_may_classify(self):
        """A leader classifies the customers of their people: those whose salesperson is below
        them; a customer without a salesperson, when a lead or a daily report of their people
        names it. What the leader made themselves (their own leads, reports, a salesperson they
        set to themselves) does not count. Those who see all documents classify any customer."""
        user = self.env.user
        if self.env.su or user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        if not user.has_group("sales_team_org.group_sale_unit_leader"):
            raise AccessError(self.env._("Only a manager may classify customers."))
        partners = self.commercial_partner_id.sudo()
        people, units = user.sales_org_user_ids - user, user.sales_org_team_ids
        unowned = partners.filtered(lambda partner: not partner.user_id)
        named = set()
        if unowned and people:
            self.env.flush_all()
            named = {partner_id for partner_id, in self.env.execute_query(SQL(
                """
                SELECT p.commercial_partner_id
                  FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
                 WHERE p.commercial_partner_id IN %(partners)s AND l.create_uid != %(leader)s
                   AND (l.team_id IN %(units)s OR l.user_id IN %(people)s)
                 UNION
                SELECT p.commercial_partner_id
                  FROM sales_daily_report_line l JOIN res_partner p ON p.id = l.partner_id
                 WHERE p.commercial_partner_id IN %(partners)s AND l.user_id IN %(people)s
                """,
                partners=tuple(unowned.ids), units=tuple(units.ids) or (0,), people=tuple(people.ids),
                leader=user.id,
            ))}
        outside = partners.filtered(lambda partner: partner.user_id not in people and partner.id not in named)
        if outside:
            raise AccessError(self.env._(
                "%(customers)s is not a customer of your people: its salesperson, leads and daily reports "
                "are outside your units.", customers=", ".join(outside.mapped("display_name")),
            ))

    # ------------------------------------------------------------------
    # Customer service: what the reader sees of the customer's complaints, samples and visits
    # ------------------------------------------------------------------

    sales_complaint_count = fields.Integer(string="Complaints", compute="_compute_sales_service_counts")
    sales_sample_count = fields.Integer(string="Samples Sent", compute="_compute_sales_service_counts")
    sales_visit_count = fields.Integer(string="Customer Visits", compute="_compute_sales_service_counts")

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_sales_service_counts(self):
        for fname, model in (("sales_complaint_count", "sales.complaint"), ("sales_sample_count", "sales.sample"),
                             ("sales_visit_count", "sales.visit")):
            counts = self._sales_count_by_customer(model)
            for partner in self:
                partner[fname] = counts.get(partner.id, 0)

    def _sales_count_by_customer(self, model):
        """{partner id: the records of `model` the reader sees for the partner or its contacts}."""
        if not self.ids or not self.env[model].has_access("read"):
            return {}
        groups = self.env[model]._read_group([("partner_id", "child_of", self.ids)], ["partner_id"], ["__count"])
        counts = {}
        for partner, count in groups:
            for counted in {partner.id, partner.commercial_partner_id.id} & set(self.ids):
                counts[counted] = counts.get(counted, 0) + count
        return counts

    def action_view_sales_complaints(self):
        self.ensure_one()
        self.check_access("read")
        self.env["sales.complaint"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_complaint_action")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_filter_not_closed": 0}
        return action

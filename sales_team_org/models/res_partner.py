from odoo import fields, models
from odoo.exceptions import AccessError

# 主攻客户 / 次攻客户 / 普通客户
CLASSIFICATIONS = [
    ("primary", "Primary Target"),
    ("secondary", "Secondary Target"),
    ("normal", "Normal"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_region_id = fields.Many2one(
        related="state_id.sales_region_id", store=True, index="btree_not_null", string="Sales Region"
    )
    sales_classification = fields.Selection(
        CLASSIFICATIONS, string="Customer Classification", readonly=True, tracking=True, index="btree_not_null",
        help="Set by a manager from the daily reports and the customer's volume.",
    )
    sales_classification_ids = fields.One2many(
        "sales.customer.classification", "partner_id", string="Classification History", readonly=True
    )

    def action_set_classification(self):
        """Open the classification wizard on this customer."""
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.customer.classify",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _set_sales_classification(self, classification, reason=False):
        """Classify these customers (commercial entities) and keep who, when and why."""
        user = self.env.user
        if not (self.env.su or user.has_group("sales_team_org.group_sale_unit_leader")):
            raise AccessError(self.env._("Only a manager may classify customers."))
        partners = self.commercial_partner_id
        self.env["sales.customer.classification"].sudo().create([
            {"partner_id": partner.id, "classification": classification, "reason": reason,
             "previous_classification": partner.sales_classification, "user_id": user.id}
            for partner in partners
        ])
        partners.sudo().write({"sales_classification": classification})

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class SalesOrgLoggedMixin(models.AbstractModel):
    """What a salesperson logs about a customer (a complaint, market information, a collection
    call, a sample sent, visitors received), in one tap from a call or visit of their daily
    report: its author (`user_id`) is whoever logs it, and the line it came from is one of the
    author's own."""

    _name = "sales.org.logged.mixin"
    _description = "Logged from a Call or Visit"

    daily_report_line_id = fields.Many2one(
        "sales.daily.report.line", string="Call or Visit", index="btree_not_null", ondelete="set null",
        check_company=True, readonly=True, copy=False,
        help="The call or visit of its author's daily report it was logged from.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # a default in the context names an author as much as a value does
        author = self.env.context.get("default_user_id", self.env.uid)
        if not self.env.su and any(vals.get("user_id", author) != self.env.uid for vals in vals_list):
            raise AccessError(self.env._(
                "People log their own %(documents)s, not someone else's.",
                documents=self.env["ir.model"]._get(self._name).name,
            ))
        return super().create(vals_list)

    @api.constrains("daily_report_line_id", "user_id", "partner_id")
    def _check_daily_report_line_id(self):
        for record in self.filtered("daily_report_line_id"):
            line = record.daily_report_line_id.sudo()
            if line.user_id != record.user_id:
                raise ValidationError(self.env._(
                    "%(document)s is logged from a call or visit of its author's own daily report.",
                    document=self.env["ir.model"]._get(self._name).name,
                ))
            customer = record.partner_id.commercial_partner_id
            if customer and line.partner_id and customer != line.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "%(document)s is about %(customer)s; the call it is logged from was with %(other)s.",
                    document=self.env["ir.model"]._get(self._name).name, customer=customer.name,
                    other=line.partner_id.commercial_partner_id.name,
                ))

    @api.model
    def _defaults_from_daily_report_line(self, line):
        """The new record's defaults when logged from `line` (a call or visit of the user's own report)."""
        return {"default_daily_report_line_id": line.id, "default_partner_id": line.partner_id.id}

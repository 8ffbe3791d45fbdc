from odoo import api, models
from odoo.exceptions import UserError


class SalesMeetingReport(models.AbstractModel):
    """The printed minutes: the archive of confirmed minutes, never of a draft."""

    _name = "report.sales_team_org.report_sales_meeting"
    _description = "Weekly Meeting Minutes Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["sales.meeting"].browse(docids)
        if any(meeting.state == "draft" for meeting in docs):
            raise UserError(self.env._("Minutes are printed once confirmed: confirm them first."))
        return {"doc_ids": docids, "doc_model": "sales.meeting", "docs": docs}

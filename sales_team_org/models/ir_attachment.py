from odoo import models
from odoo.tools import SQL


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def check(self, mode, values=None):
        """Photos change with the record they show (Odoo lets whoever may write a record change its
        attachments): those of a call or visit, of a return request."""
        super().check(mode, values)
        if mode == "read" or self.env.su:
            return
        self._check_daily_report_line_photos(values or {})
        self._check_return_request_photos()

    def _check_daily_report_line_photos(self, values):
        """Only the line's author, while the report is theirs. Checked for the lines the
        attachments are on and for those a write or create would put them on."""
        Line = self.env["sales.daily.report.line"]
        line_ids = set()
        if self:
            self.flush_model(["res_model", "res_id"])
            for res_model, res_id in self.env.execute_query(SQL(
                "SELECT res_model, res_id FROM ir_attachment WHERE id IN %s", tuple(self.ids),
            )):
                line_ids.add(res_id if res_model == Line._name else None)
                # a write naming only one of the two moves the attachment with the other as it is
                target_model, target_id = values.get("res_model", res_model), values.get("res_id", res_id)
                line_ids.add(target_id if target_model == Line._name else None)
        elif values.get("res_model") == Line._name:
            line_ids.add(values.get("res_id"))
        lines = Line.browse(int(line_id) for line_id in line_ids if line_id).exists()
        if lines:
            lines.report_id._check_user_write({"line_ids"})

    def _check_return_request_photos(self):
        """Only the request's author, while it is theirs (the chatter's files of the request are
        left to Odoo's rule)."""
        if not self:
            return
        self.env["sales.return.request"].flush_model(["photo_ids"])
        request_ids = [request_id for (request_id,) in self.env.execute_query(SQL(
            "SELECT DISTINCT request_id FROM sales_return_request_photo_rel WHERE attachment_id IN %s",
            tuple(self.ids)))]
        if request_ids:
            self.env["sales.return.request"].browse(request_ids)._check_user_write({"photo_ids"})

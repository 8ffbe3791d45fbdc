import tempfile

from werkzeug.wsgi import wrap_file

from odoo import http
from odoo.http import request


class DailyReportExport(http.Controller):

    @http.route("/sales_team_org/daily_reports/xlsx/<int:export_id>", type="http", auth="user")
    def daily_reports_xlsx(self, export_id):
        export = request.env["sales.daily.report.export"].browse(export_id).exists()
        if not export or export.create_uid != request.env.user:
            raise request.not_found()
        # Written to a temporary file, then streamed from it: memory stays bounded.
        fileobj = tempfile.TemporaryFile()
        try:
            export._write_xlsx(fileobj)
        except Exception:
            fileobj.close()
            raise
        size = fileobj.tell()
        fileobj.seek(0)
        response = request.make_response(
            wrap_file(request.httprequest.environ, fileobj),
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Length", str(size)),
                ("Content-Disposition", http.content_disposition(export._filename())),
            ],
        )
        response.direct_passthrough = True
        return response

import xmlrpc.client

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SalesOrgCommon


LEADERS_EAST = {"t_director", "t_regional_east", "t_manager"}
# (model, owner of the record, operation) -> the logins allowed; everyone else is refused.
# "create" makes a record for the owner; "review" approves a submitted one.
MATRIX = {
    ("crm.lead", "rep_shanghai", "read"): LEADERS_EAST | {"t_rep_shanghai"},
    ("crm.lead", "rep_shanghai", "write"): LEADERS_EAST | {"t_rep_shanghai"},
    ("crm.lead", "rep_shanghai", "create"): LEADERS_EAST | {"t_rep_shanghai"},
    ("crm.lead", "rep_shanghai", "unlink"): set(),
    ("crm.lead", "rep_north", "read"): {"t_director"},
    ("crm.lead", "rep_north", "write"): {"t_director"},
    ("crm.lead", "rep_north", "create"): {"t_director"},
    ("sale.order", "rep_shanghai", "read"): LEADERS_EAST | {"t_rep_shanghai"},
    ("sale.order", "rep_shanghai", "write"): LEADERS_EAST | {"t_rep_shanghai"},
    ("sale.order", "rep_shanghai", "create"): LEADERS_EAST | {"t_rep_shanghai"},
    ("sale.order", "rep_north", "read"): {"t_director"},
    ("sale.order", "rep_north", "write"): {"t_director"},
    ("sale.order", "rep_north", "create"): {"t_director"},
    ("sales.daily.report", "rep_shanghai", "read"): LEADERS_EAST | {"t_rep_shanghai"},
    # submitted: no longer the author's; its review belongs to the leaders above
    ("sales.daily.report", "rep_shanghai", "write"): set(),
    ("sales.daily.report", "rep_shanghai", "review"): LEADERS_EAST,
    ("sales.daily.report", "rep_shanghai", "unlink"): set(),
    ("sales.daily.report", "rep_north", "read"): {"t_director"},
    ("sales.daily.report", "rep_north", "review"): {"t_director"},
    ("sales.monthly.summary", "manager", "read"): LEADERS_EAST,
    ("sales.monthly.summary", "manager", "write"): set(),
    ("sales.monthly.summary", "manager", "review"): {"t_director", "t_regional_east"},
    ("sales.monthly.summary", "manager", "unlink"): set(),
}
WRITES = {
    "crm.lead": {"description": "Changed over RPC"},
    "sale.order": {"note": "Changed over RPC"},
    "sales.daily.report": {"diary": "<p>Changed over RPC</p>"},
    "sales.monthly.summary": {"results": "<p>Changed over RPC</p>"},
}


@tagged("post_install", "-at_install")
class TestSalesOrgRpc(HttpCase, SalesOrgCommon):
    """The access matrix through Odoo's external API over real HTTP (XML-RPC), cell by cell."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.daily = {}
        for person in (cls.rep_shanghai, cls.rep_north):
            report = cls.env["sales.daily.report"].with_user(person).create({
                "line_ids": [Command.create({"partner_id": cls.customer.id, "subject": "RPC"})],
            })
            report.action_submit()
            cls.daily[person] = report
        cls.monthly = {cls.manager: cls.env["sales.monthly.summary"].with_user(cls.manager).create({})}
        cls.monthly[cls.manager].action_submit()

    def call(self, login, model, method, *args):
        uid = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/common").authenticate(
            self.env.cr.dbname, login, login, {})
        proxy = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.env.cr.dbname, uid, login, model, method, *args)

    def test_access_matrix(self):
        people = {"rep_shanghai": self.rep_shanghai, "rep_north": self.rep_north, "manager": self.manager}
        records = {
            "crm.lead": self.leads, "sale.order": self.orders,
            "sales.daily.report": self.daily, "sales.monthly.summary": self.monthly,
        }
        creates = {
            "crm.lead": lambda person: {"name": "Created over RPC", "user_id": person.id},
            "sale.order": lambda person: {"partner_id": self.customer.id, "user_id": person.id},
        }
        logins = ["t_director", "t_regional_east", "t_manager", "t_rep_shanghai", "t_clerk_east"]
        for (model, owner, operation), allowed in MATRIX.items():
            record = records[model].get(people[owner])
            for login in logins:
                with self.subTest(cell=f"{login} × {model} of {owner} × {operation}"):
                    if operation == "read":
                        args = [[record.id], ["display_name"]]
                    elif operation == "write":
                        args = [[record.id], WRITES[model]]
                    elif operation == "create":
                        args = [creates[model](people[owner])]
                    else:
                        args = [[record.id]]
                    method = "action_approve" if operation == "review" else operation
                    try:
                        self.call(login, model, method, args)
                        refused = False
                    except xmlrpc.client.Fault:
                        refused = True
                    if login in allowed:
                        self.assertFalse(refused, "should be allowed")
                    else:
                        self.assertTrue(refused, "should be refused")
                    if operation == "review" and not refused:
                        record.invalidate_recordset()
                        record.sudo().write({"state": "submitted"})  # back for the next cell
                        self.env.flush_all()

    def test_create_own_records(self):
        for login in ("t_rep_shanghai", "t_clerk_east", "t_manager"):
            with self.subTest(login=login):
                lead_id = self.call(login, "crm.lead", "create", [{"name": f"Lead by {login}"}])
                self.assertTrue(self.env["crm.lead"].browse(lead_id).exists())

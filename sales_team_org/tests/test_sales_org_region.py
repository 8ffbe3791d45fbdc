from odoo.tests import tagged

from .common import SalesOrgCommon


@tagged("post_install", "-at_install")
class TestSalesOrgRegion(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shanghai_state = cls.env.ref("base.state_cn_SH")
        cls.jiangsu = cls.env.ref("base.state_cn_JS")
        cls.region = cls.env["sales.org.region"].create({
            "name": "T East China", "code": "T-E",
            "state_ids": [(6, 0, (cls.shanghai_state | cls.jiangsu).ids)],
        })
        cls.east.region_id = cls.region
        cls.east_business.region_id = cls.region

    def test_partner_and_lead_take_region_from_province(self):
        partner = self.env["res.partner"].create({"name": "Shanghai Gates", "state_id": self.shanghai_state.id})
        self.assertEqual(partner.sales_region_id, self.region)
        lead = self.env["crm.lead"].create({"name": "Gate", "state_id": self.jiangsu.id, "user_id": self.rep_north.id})
        self.assertEqual(lead.sales_region_id, self.region)
        # a province moved to another region moves its customers and leads
        other = self.env["sales.org.region"].create({"name": "T Other", "code": "T-O"})
        other.state_ids = [(4, self.jiangsu.id)]
        self.assertEqual(lead.sales_region_id, other)
        self.assertEqual(partner.sales_region_id, self.region)

    def test_region_routes_unassigned_leads_to_its_unit(self):
        self.assertEqual(self.region.routing_team_id, self.east)
        lead = self.env["crm.lead"].create({"name": "Nobody's", "state_id": self.shanghai_state.id, "user_id": False})
        self.assertEqual(lead.team_id, self.east)
        owned = self.env["crm.lead"].create({"name": "Rep's", "state_id": self.shanghai_state.id, "user_id": self.rep_north.id})
        self.assertEqual(owned.team_id, self.north)
        # the regional director now sees the routed lead
        self.assertIn(lead, self.env["crm.lead"].with_user(self.regional_east).search([("id", "=", lead.id)]))

    def test_route_existing_leads(self):
        lead = self.env["crm.lead"].create({"name": "Old", "user_id": False, "team_id": self.north.id})
        lead.state_id = self.jiangsu
        lead.action_route_to_region()
        self.assertEqual(lead.team_id, self.east)

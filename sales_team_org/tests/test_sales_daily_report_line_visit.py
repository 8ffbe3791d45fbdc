from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import PNG, SalesOrgCommon

SHANGHAI = {"check_in_latitude": 31.2304, "check_in_longitude": 121.4737, "check_in_accuracy": 12.0}
PHONE = "390x844"


class SalesVisitCommon(SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.is_company = True
        cls.people.tz = "Asia/Shanghai"  # the browser's today is the company's
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.report = cls.env["sales.daily.report"].with_user(cls.rep_shanghai).create({"line_ids": [
            Command.create({"partner_id": cls.customer.id, "channel": "visit", "subject": "Plant visit"}),
        ]})
        cls.line = cls.report.line_ids

    def upload(self, user, name="shop.png", raw=PNG, res_model="sales.daily.report.line", res_id=0):
        """A file as the web client uploads it (/web/binary/upload_attachment)."""
        return self.env["ir.attachment"].with_user(user).create({
            "name": name, "raw": raw, "res_model": res_model, "res_id": res_id,
        })


@tagged("post_install", "-at_install")
class TestSalesDailyReportLineVisit(SalesVisitCommon):
    """A visit keeps where the rep checked in (dated by the server) and the photos they took, which
    whoever may read the line may see, and nobody else."""

    def assertUnchanged(self, line, values):
        line.invalidate_recordset()
        self.assertRecordValues(line, [values])

    # ------------------------------------------------------------------
    # Check-in
    # ------------------------------------------------------------------

    def test_check_in_dated_by_the_server(self):
        line = self.line.with_user(self.rep_shanghai)
        before = fields.Datetime.now()
        line.write(SHANGHAI)
        self.assertRecordValues(line, [dict(SHANGHAI)])
        self.assertTrue(before <= line.check_in_date <= fields.Datetime.now())
        self.assertEqual(
            line.check_in_map_url,
            "https://uri.amap.com/marker?position=121.4737000,31.2304000&coordinate=wgs84&name=Check-in",
        )
        # checking in again, even only a better accuracy, dates it again
        self.env.cr.execute("UPDATE sales_daily_report_line SET check_in_date = '2026-01-01 08:00' WHERE id = %s",
                            [line.id])
        line.invalidate_recordset()
        line.write({"check_in_accuracy": 5.0})
        self.assertGreaterEqual(line.check_in_date, before)
        self.assertEqual(line.check_in_latitude, 31.2304)
        # both cleared: no position, no date
        line.write({"check_in_latitude": False, "check_in_longitude": False})
        self.assertRecordValues(line, [{"check_in_date": False, "check_in_accuracy": 0.0, "check_in_map_url": False}])

    def test_check_in_on_a_new_line(self):
        Line = self.env["sales.daily.report.line"].with_user(self.rep_shanghai)
        line = Line.create({"report_id": self.report.id, "channel": "visit", **SHANGHAI})
        self.assertTrue(line.check_in_date)
        # the web client sends (0, 0) for a line without a position: no check-in
        line = Line.create({"report_id": self.report.id, "check_in_latitude": 0, "check_in_longitude": 0,
                            "check_in_accuracy": 0})
        self.assertFalse(line.check_in_date)
        self.assertFalse(line.check_in_map_url)

    def test_check_in_date_not_from_the_client(self):
        line = self.line.with_user(self.rep_shanghai)
        line.write(SHANGHAI)
        stamped = line.check_in_date
        with self.assertRaises(AccessError):
            line.write({"check_in_date": "2026-01-01 08:00:00"})
        with self.assertRaises(AccessError):
            line.write({**SHANGHAI, "check_in_date": "2026-01-01 08:00:00"})
        with self.assertRaises(AccessError):
            line.create({"report_id": self.report.id, **SHANGHAI, "check_in_date": "2026-01-01 08:00:00"})
        self.assertUnchanged(line, {"check_in_date": stamped, **SHANGHAI})

    def test_check_in_both_coordinates_or_neither(self):
        line = self.line.with_user(self.rep_shanghai)
        with self.assertRaisesRegex(ValidationError, "both a latitude and a longitude"):
            line.write({"check_in_latitude": 31.2304})
        with self.assertRaisesRegex(ValidationError, "both a latitude and a longitude"):
            line.create({"report_id": self.report.id, "check_in_longitude": 121.4737})
        self.assertUnchanged(line, {"check_in_latitude": 0.0, "check_in_date": False})
        line.write(SHANGHAI)
        stamped = line.check_in_date
        with self.assertRaisesRegex(ValidationError, "both a latitude and a longitude"):
            line.write({"check_in_longitude": False})
        self.assertUnchanged(line, {"check_in_date": stamped, **SHANGHAI})

    def test_check_in_in_range(self):
        line = self.line.with_user(self.rep_shanghai)
        line.write(SHANGHAI)
        stamped = line.check_in_date
        for values, message in [
            ({"check_in_latitude": 90.5, "check_in_longitude": 121.0}, "between -90 and 90"),
            ({"check_in_latitude": -91, "check_in_longitude": 121.0}, "between -90 and 90"),
            ({"check_in_latitude": 31.0, "check_in_longitude": 180.01}, "between -180 and 180"),
            ({"check_in_latitude": 31.0, "check_in_longitude": -181}, "between -180 and 180"),
            ({"check_in_accuracy": -1}, "distance in metres"),
            ({"check_in_accuracy": 1e308}, "distance in metres"),
            ({"check_in_accuracy": "inf"}, "not a number"),
            ({"check_in_accuracy": float("nan")}, "not a number"),
            ({"check_in_latitude": "nan", "check_in_longitude": 121.0}, "not a number"),
            ({"check_in_latitude": "north", "check_in_longitude": 121.0}, "not a number"),
        ]:
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message):
                line.write(values)
        self.assertUnchanged(line, {"check_in_date": stamped, **SHANGHAI})
        # the edges are places
        line.write({"check_in_latitude": -90, "check_in_longitude": 180, "check_in_accuracy": 0})
        self.assertEqual((line.check_in_latitude, line.check_in_longitude), (-90, 180))

    def test_check_in_by_the_author_of_a_draft_only(self):
        with self.assertRaises(AccessError):
            self.line.with_user(self.supervisor).write(SHANGHAI)
        self.report.with_user(self.rep_shanghai).action_submit()
        with self.assertRaises(UserError):
            self.line.with_user(self.rep_shanghai).write(SHANGHAI)
        self.assertUnchanged(self.line, {"check_in_latitude": 0.0, "check_in_date": False})

    # ------------------------------------------------------------------
    # Photos
    # ------------------------------------------------------------------

    def test_photos_belong_to_their_line(self):
        line = self.line.with_user(self.rep_shanghai)
        photo = self.upload(self.rep_shanghai)
        line.write({"photo_ids": [Command.link(photo.id)]})
        self.assertEqual(line.photo_ids, photo)
        self.assertRecordValues(photo, [{"res_model": "sales.daily.report.line", "res_id": line.id}])

        # whoever reads the line reads its photos: the rep's leader, once submitted too
        self.report.with_user(self.rep_shanghai).action_submit()
        self.assertEqual(self.line.with_user(self.supervisor).photo_ids, photo)
        self.assertEqual(photo.with_user(self.supervisor).raw, PNG)
        photo.with_user(self.supervisor).check("read")
        # and nobody else
        self.assertFalse(self.line.with_user(self.rep_north).has_access("read"))
        with self.assertRaises(AccessError):
            photo.with_user(self.rep_north).check("read")
        self.assertFalse(self.env["ir.attachment"].with_user(self.rep_north).search([("id", "=", photo.id)]))

    def test_photos_on_a_new_line(self):
        photo = self.upload(self.rep_shanghai)
        self.report.with_user(self.rep_shanghai).write({"line_ids": [Command.create({
            "channel": "visit", "subject": "Shop visit", "photo_ids": [Command.link(photo.id)], **SHANGHAI,
        })]})
        line = self.report.line_ids.filtered(lambda line: line.subject == "Shop visit")
        self.assertEqual(line.photo_ids, photo)
        self.assertRecordValues(photo, [{"res_model": "sales.daily.report.line", "res_id": line.id}])
        self.assertTrue(line.check_in_date)

    def test_photos_only_ones_own_and_free(self):
        line = self.line.with_user(self.rep_shanghai)
        others = self.upload(self.rep_north)
        own_lead = self.leads[self.rep_shanghai]
        on_a_lead = self.upload(self.rep_shanghai, res_model="crm.lead", res_id=own_lead.id)
        other_line = self.env["sales.daily.report"].with_user(self.rep_north).create({
            "line_ids": [Command.create({"subject": "North visit"})],
        }).line_ids
        on_a_line = self.upload(self.rep_north)
        other_line.with_user(self.rep_north).write({"photo_ids": [Command.link(on_a_line.id)]})
        for attachment in (others, on_a_lead, on_a_line):
            for commands in ([Command.link(attachment.id)], [Command.set(attachment.ids)]):
                with self.subTest(attachment=attachment.name, commands=commands), self.assertRaises(AccessError):
                    line.write({"photo_ids": commands})
                with self.subTest(attachment=attachment.name), self.assertRaises(AccessError):
                    line.create({"report_id": self.report.id, "photo_ids": commands})
        # another of one's own lines' photo stays on it
        own_photo = self.upload(self.rep_shanghai)
        line.write({"photo_ids": [Command.link(own_photo.id)]})
        second = line.create({"report_id": self.report.id, "subject": "Second visit"})
        with self.assertRaises(AccessError):
            second.write({"photo_ids": [Command.link(own_photo.id)]})
        # a photo is an image, uploaded before
        text = self.upload(self.rep_shanghai, name="notes.txt", raw=b"notes")
        with self.assertRaisesRegex(ValidationError, "not an image"):
            line.write({"photo_ids": [Command.link(text.id)]})
        with self.assertRaises(AccessError):
            line.write({"photo_ids": [Command.create({"name": "x.png", "raw": PNG})]})
        # nothing changed: nobody else's file is opened to the line's readers
        self.assertEqual(line.photo_ids, own_photo)
        self.assertFalse(second.photo_ids)
        self.assertRecordValues((others | on_a_lead | on_a_line | text).sudo(), [
            {"res_model": "sales.daily.report.line", "res_id": 0},
            {"res_model": "crm.lead", "res_id": own_lead.id},
            {"res_model": "sales.daily.report.line", "res_id": other_line.id},
            {"res_model": "sales.daily.report.line", "res_id": 0},
        ])
        self.assertFalse(self.line.with_user(self.supervisor).photo_ids - own_photo)

    def test_photos_by_the_author_of_a_draft_only(self):
        leaders_photo = self.upload(self.supervisor)
        with self.assertRaises(AccessError):
            self.line.with_user(self.supervisor).write({"photo_ids": [Command.link(leaders_photo.id)]})
        photo = self.upload(self.rep_shanghai)
        self.report.with_user(self.rep_shanghai).action_submit()
        with self.assertRaises(UserError):
            self.line.with_user(self.rep_shanghai).write({"photo_ids": [Command.link(photo.id)]})
        self.assertFalse(self.line.photo_ids)
        self.assertRecordValues(photo, [{"res_id": 0}])

    def test_photos_of_a_submitted_report_stay(self):
        photo = self.upload(self.rep_shanghai)
        self.line.with_user(self.rep_shanghai).write({"photo_ids": [Command.link(photo.id)]})
        self.report.with_user(self.rep_shanghai).action_submit()
        # not through the line, nor through the attachment itself
        as_rep = photo.with_user(self.rep_shanghai)
        with self.assertRaises(UserError):
            as_rep.write({"name": "swapped.png", "raw": PNG})
        with self.assertRaises(UserError):
            as_rep.unlink()
        with self.assertRaises(UserError):
            self.upload(self.rep_shanghai, res_id=self.line.id)
        with self.assertRaises(AccessError):
            photo.with_user(self.supervisor).unlink()
        self.assertRecordValues(photo, [{"name": "shop.png", "res_id": self.line.id}])
        self.assertEqual(self.line.photo_ids, photo)
        self.assertEqual(photo.with_user(self.supervisor).read(["name"])[0]["name"], "shop.png",
                         "the leader reads it")

    def test_a_file_is_not_moved_onto_someone_elses_line(self):
        north_line = self.env["sales.daily.report"].with_user(self.rep_north).create({
            "line_ids": [Command.create({"subject": "North visit", "channel": "visit"})]}).line_ids
        north_line.report_id.with_user(self.rep_north).action_submit()
        mine = self.upload(self.rep_shanghai).with_user(self.rep_shanghai)
        lead = self.env["crm.lead"].with_user(self.rep_shanghai).create({"name": "T Own lead"})
        on_lead = self.upload(self.rep_shanghai, res_model="crm.lead", res_id=lead.id).with_user(self.rep_shanghai)
        # naming only the id, or only the model, of a line that is not theirs to change
        for attachment, values in ((mine, {"res_id": north_line.id}), (on_lead, {"res_model": north_line._name})):
            if "res_model" in values:
                attachment.sudo().res_id = north_line.id  # a record of theirs with the line's id
            with self.subTest(values=values), self.assertRaises(AccessError):
                attachment.write(values)
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", north_line._name), ("res_id", "=", north_line.id)]))

    def test_photos_go_with_their_line(self):
        line = self.line.with_user(self.rep_shanghai)
        kept, removed = self.upload(self.rep_shanghai), self.upload(self.rep_shanghai, name="blurred.png")
        line.write({"photo_ids": [Command.set((kept | removed).ids)]})
        line.write({"photo_ids": [Command.unlink(removed.id)]})
        self.assertEqual(line.photo_ids, kept)
        self.assertFalse(removed.exists(), "a photo taken off its line is deleted")

        second = line.create({"report_id": self.report.id, "subject": "Second visit"})
        second_photo = self.upload(self.rep_shanghai)
        second.write({"photo_ids": [Command.link(second_photo.id)]})
        line.unlink()
        self.assertFalse(kept.exists(), "a deleted line's photos would be readable by anyone")
        # a deleted report's lines go by the database's cascade: their photos go too
        self.report.with_user(self.rep_shanghai).unlink()
        self.assertFalse(second_photo.exists())


@tagged("post_install", "-at_install")
class TestSalesDailyReportVisitTour(HttpCase, SalesVisitCommon):
    """On a phone, the rep adds a visit to today's report, checks in, takes a photo and submits
    (static/tests/tours/sales_daily_report_visit_tour.js), in 简体中文 (the steps are the same in
    every language, only the words differ)."""

    def visit(self, lang):
        self.browser_size = PHONE
        self.touch_enabled = True
        before = fields.Datetime.now()
        self.start_tour("/odoo", f"sales_team_org_rep_checks_in_on_a_visit_{lang}", login="t_rep_shanghai")
        line = self.report.line_ids.filtered(lambda line: line.subject == "Visit to the plant")
        self.assertRecordValues(line, [{"channel": "visit", **SHANGHAI}])
        self.assertTrue(before <= line.check_in_date <= fields.Datetime.now() + timedelta(seconds=1))
        self.assertEqual(line.photo_ids.mapped("name"), ["shop.png"])
        self.assertRecordValues(line.photo_ids, [{
            "res_model": "sales.daily.report.line", "res_id": line.id, "create_uid": self.rep_shanghai.id,
            "mimetype": "image/png",
        }])
        self.assertEqual(self.report.state, "submitted")

    def test_visit_chinese(self):
        self.speak_chinese()
        self.visit("zh_CN")

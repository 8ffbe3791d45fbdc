from collections import defaultdict

from odoo import models
from odoo.tools import SQL


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def check(self, mode, values=None):
        """Photos change with the record they show (Odoo lets whoever may write a record change its
        attachments): those of the models of `sales.org.photo.mixin`."""
        super().check(mode, values)
        if mode == "read" or self.env.su:
            return
        self._check_photo_records(values or {})

    def _check_photo_records(self, values):
        """Only who may change a record's photos changes them (`_check_photo_write`). Checked for
        the records the attachments are photos of; on a record without a chatter, every file is
        one of its photos: checked also for the records the attachments are on and for those a
        write or create would put them on (a chatter's files are left to Odoo's rule)."""
        registry = self.env.registry
        photo_models = [self.env[name] for name in registry.descendants(["sales.org.photo.mixin"], "_inherit")
                        if not self.env[name]._abstract]
        thread = registry["mail.thread"]
        filed_only = {model._name for model in photo_models if not isinstance(model, thread)}
        photo_of = defaultdict(set)  # model: ids of the records the attachments are photos of
        filed_on = defaultdict(set)  # model: ids of the records the attachments are (or go) on
        if self:
            self.flush_model(["res_model", "res_id"])
            queries = [SQL("SELECT res_model, res_id, FALSE FROM ir_attachment WHERE id IN %s", tuple(self.ids))] \
                if filed_only else []
            for model in photo_models:
                field = model._fields["photo_ids"]
                model.flush_model(["photo_ids"])
                queries.append(SQL(
                    "SELECT %s, %s, TRUE FROM %s WHERE %s IN %s", model._name, SQL.identifier(field.column1),
                    SQL.identifier(field.relation), SQL.identifier(field.column2), tuple(self.ids)))
            for res_model, res_id, is_photo in self.env.execute_query(SQL(" UNION ALL ").join(queries)):
                if is_photo:
                    photo_of[res_model].add(res_id)
                    continue
                filed_on[res_model].add(res_id)
                # a write naming only one of the two moves the attachment with the other as it is
                filed_on[values.get("res_model", res_model)].add(values.get("res_id", res_id))
        elif values.get("res_model") in filed_only:
            filed_on[values["res_model"]].add(values.get("res_id"))
        for model in photo_models:
            records = model.browse(photo_of[model._name])
            filed = {int(res_id) for res_id in filed_on[model._name] if res_id} - set(records.ids)
            if model._name in filed_only and filed:
                records |= model.browse(filed).exists()
            if records:
                records._check_photo_write()

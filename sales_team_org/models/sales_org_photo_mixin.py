from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class SalesOrgPhotoMixin(models.AbstractModel):
    """Photos of a document (a visit, a returned item): images its writer uploaded, which then
    belong to the document, readable by whoever reads it. `ir.attachment` lets only those who
    may change the document's photos change the files themselves (`_check_photo_write`)."""

    _name = "sales.org.photo.mixin"
    _description = "Photos of a Sales Document"

    # each model names its own relation table and columns
    photo_ids = fields.Many2many("ir.attachment", string="Photos", copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        new_photos = self._check_new_photos(self._photo_ids_in(vals_list))
        records = super().create(vals_list)
        if new_photos:
            records._link_photos()
        return records

    def write(self, vals):
        if "photo_ids" not in vals:
            return super().write(vals)
        self._check_new_photos(self._photo_ids_in([vals]) - set(self.photo_ids.ids))
        res = super().write(vals)
        self._link_photos()
        return res

    def _photo_document_name(self):
        """What a record is called in the messages about its photos, e.g. "call or visit"."""
        raise NotImplementedError

    def _check_photo_write(self):
        """Raise unless the current user may change the photos of these records."""
        raise NotImplementedError

    @api.model
    def _photo_ids_in(self, vals_list):
        """The attachment ids the x2many commands of `vals_list` put on records."""
        ids = set()
        for vals in vals_list:
            for command in vals.get("photo_ids") or ():
                if command[0] == Command.LINK:
                    ids.add(command[1])
                elif command[0] == Command.SET:
                    ids.update(command[2])
                elif command[0] == Command.CREATE and not self.env.su:
                    raise AccessError(self.env._("Upload a photo before putting it on a %(document)s.",
                                                 document=self._photo_document_name()))
        return ids

    def _check_new_photos(self, attachment_ids):
        """A record takes only images its writer uploaded and that are on no other record (else
        putting an id on one's record would open someone else's file to its readers)."""
        if not attachment_ids or self.env.su:
            return attachment_ids
        attachments = self.env["ir.attachment"].sudo().browse(attachment_ids).exists()
        if len(attachments) != len(attachment_ids):
            raise UserError(self.env._("A photo of this %(document)s no longer exists: upload it again.",
                                       document=self._photo_document_name()))
        for attachment in attachments:
            if (
                attachment.create_uid != self.env.user
                or attachment.res_field
                or attachment.res_id and not (attachment.res_model == self._name and attachment.res_id in self.ids)
            ):
                raise AccessError(self.env._(
                    "%(file)s is not a photo you uploaded for this %(document)s.",
                    file=attachment.name, document=self._photo_document_name(),
                ))
            if not (attachment.mimetype or "").startswith("image/"):
                raise ValidationError(self.env._("%(file)s is not an image.", file=attachment.name))
        return attachment_ids

    def _link_photos(self):
        """The photos belong to their record: whoever reads it reads them."""
        for record in self:
            photos = record.photo_ids.sudo().filtered(
                lambda photo: (photo.res_model, photo.res_id) != (self._name, record.id))
            photos.write({"res_model": self._name, "res_id": record.id})

"""The server enforces what the views only hide: fields that only the add-on's own actions and
scheduled actions write (they do it with sudo), refused to a user's create or write."""

import contextvars
from contextlib import contextmanager

from odoo.exceptions import AccessError, ValidationError

# The chatter's fields: mail writes them itself (with sudo), never a user's write of the record.
MAIL_FIELDS = frozenset({"message_follower_ids", "message_ids", "activity_ids", "website_message_ids",
                         "message_main_attachment_id"})

# Fields Odoo's own code writes as part of a larger operation, within `trusted_fields`: set in
# Python around the call, never from what a client sends.
_TRUSTED = contextvars.ContextVar("sales_org_trusted_fields", default=frozenset())


@contextmanager
def trusted_fields(fnames):
    token = _TRUSTED.set(frozenset(fnames))
    try:
        yield
    finally:
        _TRUSTED.reset(token)


def without_system_defaults(records, system_fields=None):
    """`records` for a user's create, without the context's defaults of `system_fields` (default:
    the model's `_sales_org_system_fields`): a `default_<field>` key sets the field as much as a
    value does, so it is dropped."""
    if records.env.su:
        return records
    system_fields = records._sales_org_system_fields if system_fields is None else system_fields
    dropped = {key for key in records.env.context
               if key.startswith("default_") and key[8:] in system_fields and key[8:] not in _TRUSTED.get()}
    if not dropped:
        return records
    # removed, not set to False: a False default would replace the field's own default
    context = {key: value for key, value in records.env.context.items() if key not in dropped}
    return records.with_context(context)  # pylint: disable=context-overridden


def check_system_fields(records, values, system_fields=None):
    """Refuse `values` (a dict of a write, or the list of dicts of a create) when they set a
    field of `system_fields` (default: the model's `_sales_org_system_fields`) as a user.

    A create may name such a field with an empty value, as the web client does for the
    fields of a new record; a write may not name it at all.
    """
    if records.env.su:
        return
    system_fields = records._sales_org_system_fields if system_fields is None else system_fields
    if isinstance(values, dict):
        named = set(values)
    else:
        named = {fname for vals in values for fname, value in vals.items() if value}
    refused = sorted(named & system_fields - _TRUSTED.get())
    if refused:
        env = records.env
        raise AccessError(env._(
            "%(fields)s of %(model)s are set by the organisation's own workflow, not by hand.",
            fields=", ".join(records._fields[fname]._description_string(env) for fname in refused),
            model=env["ir.model"]._get(records._name).name,
        ))


def check_author(records, message=None):
    """Refuse a user who is not the author (`user_id`) of each of `records`: a document is its
    author's to write, others read it (the workflow writes with sudo). `message(record)` is the
    refusal for a record that is someone else's (default: whose it is to write)."""
    if records.env.su:
        return
    other = next((record for record in records if record.user_id != records.env.user), None)
    if other:
        raise AccessError(message(other) if message else records.env._(
            "%(document)s is %(person)s's to write; others read it.",
            document=other.display_name, person=other.user_id.name,
        ))


def check_filed_unit(records, message, person="user_id", led=False):
    """Refuse a record filed under a unit (`team_id`) that is not one of its person's units (a
    membership; with `led`, also a unit they lead or one below it): `message(record)` says why.
    One query whatever the number of records."""
    records = records.filtered("team_id")
    units = records.env["crm.team.member"]._units_of(records[person].ids, led=led)
    for record in records:
        if record.team_id.id not in units.get(record[person].id, ()):
            raise ValidationError(message(record))

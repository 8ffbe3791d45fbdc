"""Checks that need no Odoo: manifest, XML and CSV files, and the zh_CN translation."""
import ast
import csv
import re
import sys
from pathlib import Path

from lxml import etree

errors = []


def check(addon: Path):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    for key in ("name", "version", "license", "depends", "data"):
        if key not in manifest:
            errors.append(f"__manifest__.py: no {key!r}")
    if not re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest.get("version", "")):
        errors.append("__manifest__.py: version is not 18.0.x.y.z")
    for listed in manifest.get("data", []) + manifest.get("demo", []):
        if not (addon / listed).is_file():
            errors.append(f"__manifest__.py lists {listed}, which does not exist")
    for path in sorted(addon.rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            errors.append(f"{path}: {exc}")
    for path in sorted(addon.rglob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        width = len(rows[0])
        errors.extend(f"{path}:{n}: {len(row)} columns, header has {width}"
                      for n, row in enumerate(rows[1:], 2) if len(row) != width)
    check_translations(addon)


def po_entries(path: Path):
    """(msgid, msgstr) pairs of a .po file, skipping the header."""
    text = path.read_text(encoding="utf-8")
    entries = []
    for block in re.split(r"\n\s*\n", text):
        msgid = "".join(re.findall(r'"(.*)"', _section(block, "msgid")))
        msgstr = "".join(re.findall(r'"(.*)"', _section(block, "msgstr")))
        if msgid:
            entries.append((msgid, msgstr))
    return entries


def _section(block, keyword):
    match = re.search(rf"^{keyword} (.*?)(?=^msg|\Z)", block, re.M | re.S)
    return match.group(1) if match else ""


def check_translations(addon: Path):
    pot = addon / "i18n" / f"{addon.name}.pot"
    po = addon / "i18n" / "zh_CN.po"
    if not po.is_file() or not pot.is_file():
        errors.append(f"{addon.name}: i18n/{addon.name}.pot and i18n/zh_CN.po are both required")
        return
    translated = dict(po_entries(po))
    for msgid, _ in po_entries(pot):
        if not translated.get(msgid):
            errors.append(f"zh_CN.po: no translation for {msgid!r}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        check(Path(name))
    for error in errors:
        print(error)
    print(f"static checks: {len(errors)} problem(s)")
    sys.exit(1 if errors else 0)
